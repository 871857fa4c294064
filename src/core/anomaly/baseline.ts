/**
 * Per-patient robust baseline of one vital (research/anomaly-detection.md §6 implication 1):
 * median/MAD of the first WARMUP accepted values, then a slow quantile-tracking update, frozen
 * while the patient is in alarm so a deterioration never becomes the new normal.
 * Pure: every function returns a new state.
 */
import { CHANNELS, type ModelChannel } from "./channels.js";

export const BASELINE_WARMUP = 6;
/** Median moves at most this many scales per update after warm-up (≈ a day to follow a 1-sd drift at hourly ticks). */
const MEDIAN_STEP = 0.04;
/** EWMA weight for the absolute deviation after warm-up. */
const SCALE_ALPHA = 0.02;
/** MAD → sd for a normal distribution. */
const MAD_TO_SD = 1.4826;

export interface Baseline {
  readonly warmup: readonly number[];
  readonly median: number;
  readonly scale: number;
  /** Accepted updates so far (warm-up included). */
  readonly n: number;
}

export function emptyBaseline(channel: ModelChannel): Baseline {
  const s = CHANNELS[channel];
  return { warmup: [], median: s.mean, scale: s.sd, n: 0 };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Folds one plausible value into the baseline. `frozen` (an active alarm for this patient) returns
 * the state unchanged. Non-finite values are ignored, so a gap never poisons the baseline.
 */
export function updateBaseline(channel: ModelChannel, b: Baseline, value: number, frozen: boolean): Baseline {
  if (frozen || !Number.isFinite(value)) return b;
  const minScale = CHANNELS[channel].minScale;
  if (b.n < BASELINE_WARMUP) {
    const warmup = [...b.warmup, value];
    const med = median(warmup);
    // Until 3 values exist the MAD means nothing: keep the population spread.
    const mad = warmup.length >= 3 ? MAD_TO_SD * median(warmup.map((x) => Math.abs(x - med))) : CHANNELS[channel].sd;
    return { warmup, median: med, scale: Math.max(minScale, mad), n: b.n + 1 };
  }
  const step = MEDIAN_STEP * b.scale * Math.sign(value - b.median);
  // Huber-style clip: a sustained shift must not inflate the spread and so hide itself.
  const absDev = Math.min(MAD_TO_SD * Math.abs(value - b.median), 3 * b.scale);
  const scale = Math.max(minScale, (1 - SCALE_ALPHA) * b.scale + SCALE_ALPHA * absDev);
  return { warmup: b.warmup, median: b.median + step, scale, n: b.n + 1 };
}

/** Deviation from the personal baseline in baseline scales, clipped to ±CLIP. */
export function deviation(b: Baseline, value: number, clip = 6): number {
  const z = (value - b.median) / b.scale;
  return Math.max(-clip, Math.min(clip, z));
}
