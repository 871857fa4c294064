/** Per-device link state, the hook for the "sensor lost" technical alarm. */

export const LINK_STATES = ["connecting", "connected", "disconnected", "stopped"] as const;
export type LinkState = (typeof LINK_STATES)[number];

export interface DeviceStatus {
  /** As configured, upper case (`C0:FF:EE:00:11:22`). */
  readonly address: string;
  /** The RawFrame deviceId of this sensor. */
  readonly deviceId: string;
  readonly state: LinkState;
  /** Wall-clock ms (injected Clock) when this state was entered. */
  readonly since: number;
  /** Channels delivering frames on this link (`2a37`, …); empty unless connected. */
  readonly channels: readonly string[];
  /** Consecutive failed connection attempts; 0 after a successful connect. */
  readonly failures: number;
  /** Why the last attempt failed or the link dropped; no patient data (addresses and BlueZ errors only). */
  readonly lastError?: string;
}

/** Where every link starts: not connected yet, no failures. */
export function initialStatus(spec: { readonly address: string; readonly deviceId: string }, since: number): DeviceStatus {
  return { address: spec.address, deviceId: spec.deviceId, state: "disconnected", since, channels: [], failures: 0 };
}

/** True when a state means frames cannot arrive: what a "sensor lost" alarm watches. */
export function isLost(state: LinkState): boolean {
  switch (state) {
    case "connected":
      return false;
    case "connecting":
    case "disconnected":
      return true;
    case "stopped":
      return false; // shutting down is not a lost sensor
    default:
      return state satisfies never;
  }
}
