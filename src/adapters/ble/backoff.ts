/** Reconnect delays: doubling from initialMs, capped at maxMs (research ble-devices.md §3.4 step 3). */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Delay before the next attempt after `failures` consecutive failures (0 = after a clean link loss). */
export function backoffDelay(failures: number, { initialMs, maxMs }: Backoff): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30); // 2^30 already exceeds any sane cap
  return Math.min(maxMs, initialMs * 2 ** exponent);
}
