/**
 * Error codes as data (medplum style): each says whether retrying can help.
 * Errors that cross the pipeline are values on a diagnostics stream, never thrown past an operator.
 */
export const ERROR_CODES = {
  decode_truncated: { retry: "permanent" },
  decode_reserved: { retry: "permanent" },
  decode_range: { retry: "permanent" },
  decode_unknown_source: { retry: "permanent" },
  decode_malformed: { retry: "permanent" },
  unknown_device: { retry: "ambiguous" },
  bad_payload: { retry: "permanent" },
  bad_ws_message: { retry: "permanent" },
  config_invalid: { retry: "permanent" },
  store_failed: { retry: "transient" },
  no_reading: { retry: "transient" }, // a well-formed frame that carries no patient value (sensor contact lost, NaN / special value)
  device_link: { retry: "transient" }, // a BLE sensor could not be reached or its link dropped (adapters/ble)
} as const satisfies Record<string, { retry: "transient" | "ambiguous" | "permanent" }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class GatewayError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "GatewayError";
  }
}

/** A payload a driver could not decode; names the driver, the field and the byte offset. */
export class DecodeError extends GatewayError {
  constructor(
    code: Extract<ErrorCode, `decode_${string}`>,
    message: string,
    readonly driverId?: string,
    readonly field?: string,
    readonly offset?: number,
  ) {
    super(code, message);
    this.name = "DecodeError";
  }
}

/** A frame, payload or message the gateway refused, as it travels on the diagnostics stream. */
export interface Diagnostic {
  readonly code: ErrorCode;
  readonly message: string;
  /** Where it came from: device id, client id, config path. Never patient data. */
  readonly where: string;
  /** Hex of the offending bytes, truncated, for the log (device payloads carry no identity). */
  readonly hex?: string;
}
