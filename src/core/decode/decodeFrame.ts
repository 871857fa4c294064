/**
 * Decodes one frame with the registry. Never throws: a bad frame becomes a DecodeError value,
 * and a driver that throws anything else is named as the culprit (plugin isolation).
 */
import type { DecodeError } from "../errors.js";
import type { DecodedValue, RawFrame } from "../model.js";
import { decodeBridgeMessage } from "./bridgeMessage.js";
import { decodeBinary } from "./decodeBinary.js";
import { decodeJsonReadings } from "./jsonReadings.js";
import type { DriverRegistry } from "./registry.js";

/** What a bridge message says about where it was heard (`devices seen`), beside its values. */
export interface Heard {
  /** The device id the message itself names (a bridge's JSON `id`), which wins over the topic's. */
  readonly deviceId: string;
  readonly rssi?: number;
  /** The bridge: its topic without the device, e.g. `home/TheengsGateway/BTtoMQTT`. */
  readonly via: string;
}

export type DecodeResult =
  | {
      readonly ok: true;
      readonly driverId: string;
      readonly values: readonly DecodedValue[];
      readonly fields: Readonly<Record<string, unknown>>;
      readonly heard?: Heard;
    }
  | { readonly ok: false; readonly error: DecodeError };

export function decodeFrame(registry: DriverRegistry, frame: RawFrame): DecodeResult {
  try {
    if (frame.source === "mqtt:json") {
      return { ok: true, driverId: "json", values: decodeJsonReadings(frame.bytes), fields: {} };
    }
    if (frame.source === "mqtt:bridge") return { ok: true, ...decodeBridgeMessage(registry, frame) };
    return { ok: true, ...decodeBinary(registry, frame) };
  } catch (e) {
    return { ok: false, error: e as DecodeError };
  }
}
