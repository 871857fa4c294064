/** Time as the core sees it: wall time for records and display, monotonic time for timers. */
export interface Clock {
  /** Wall-clock ms since the epoch (may jump). */
  now(): number;
  /** Monotonic ms from an arbitrary origin (never jumps). */
  monotonic(): number;
}
