import { performance } from "node:perf_hooks";
import type { Clock } from "../ports/clock.js";

/** Wall time from Date, monotonic time from performance.now() (never jumps with NTP). */
export const systemClock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };
