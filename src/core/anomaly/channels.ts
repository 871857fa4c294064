/**
 * The signals the anomaly model sees, with the gates and population norms that turn a raw value
 * into a feature. Pure data. Ranges follow research/anomaly-detection.md §7.1 ("physiological
 * range gates"); anything outside is an artifact and is dropped, never scored.
 */
import type { Vital } from "../model.js";

export const MODEL_CHANNELS = ["heart_rate", "respiratory_rate", "systolic_bp", "spo2", "body_temperature"] as const;
export type ModelChannel = (typeof MODEL_CHANNELS)[number] & Vital;

export interface ChannelSpec {
  /** Plausible range; outside it the value is an artifact (§7.1: HR 20–250, RR 2–70, SpO2 50–100, T 25–45). */
  readonly min: number;
  readonly max: number;
  /** Population centre and spread for the absolute-level feature (adult ICU/ward order of magnitude). */
  readonly mean: number;
  readonly sd: number;
  /** Smallest personal-baseline scale, so a very steady patient does not turn noise into 10-sigma. */
  readonly minScale: number;
  /** Last value carried forward at most this long (ms); §3.6 used 4 h for RR/SBP/HR, 8 h for SpO2/T. */
  readonly maxAgeMs: number;
}

const H = 3_600_000;

export const CHANNELS: Readonly<Record<ModelChannel, ChannelSpec>> = {
  heart_rate: { min: 20, max: 250, mean: 85, sd: 17, minScale: 5, maxAgeMs: 4 * H },
  respiratory_rate: { min: 2, max: 70, mean: 19, sd: 5, minScale: 2, maxAgeMs: 4 * H },
  systolic_bp: { min: 40, max: 280, mean: 120, sd: 22, minScale: 8, maxAgeMs: 4 * H },
  spo2: { min: 50, max: 100, mean: 97, sd: 3, minScale: 1, maxAgeMs: 8 * H },
  body_temperature: { min: 25, max: 45, mean: 37, sd: 0.8, minScale: 0.3, maxAgeMs: 8 * H },
};

/** Context inputs that are not vitals but enter NEWS2: supplemental oxygen and ACVPU (not Alert = 1). */
export const CONTEXT_INPUTS = ["on_oxygen", "not_alert"] as const;
export type ContextInput = (typeof CONTEXT_INPUTS)[number];
export const CONTEXT_MAX_AGE_MS = 8 * H;

export function isModelChannel(v: string): v is ModelChannel {
  return (MODEL_CHANNELS as readonly string[]).includes(v);
}

/** True when the value is a number inside the channel's plausible range. */
export function plausible(channel: ModelChannel, value: number): boolean {
  const s = CHANNELS[channel];
  return Number.isFinite(value) && value >= s.min && value <= s.max;
}
