/**
 * Window → model input. Pure and total: every missing, stale or implausible value becomes a
 * 0 with a 0 mask, so the vector never holds NaN (bad input must not produce NaN scores).
 */
import { news2, type News2Result } from "../rules/news2.js";
import { CHANNELS, MODEL_CHANNELS } from "./channels.js";
import { WINDOW_STEPS, type PatientState, type Snapshot } from "./patientState.js";

const PER_CHANNEL = 3; // mask, population z, personal-baseline deviation
const NEWS2_FEATURES = 8; // 7 subscores / 3 + total / 20
const CONTEXT_FEATURES = 4; // onOxygen, notAlert and their masks
const SLOW_FEATURES = 2 * MODEL_CHANNELS.length; // mask, population z of the slow EWMA
export const FEATURE_COUNT = WINDOW_STEPS * MODEL_CHANNELS.length * PER_CHANNEL + SLOW_FEATURES + NEWS2_FEATURES + CONTEXT_FEATURES;
/** Where NEWS2 total / 20 sits in the vector (the fake model reads it). */
export const NEWS2_TOTAL_INDEX = FEATURE_COUNT - CONTEXT_FEATURES - 1;

const clip = (x: number, c: number): number => Math.max(-c, Math.min(c, x));
const orUndefined = (x: number): number | undefined => (Number.isNaN(x) ? undefined : x);

/** NEWS2 (Scale 1) on a snapshot; used for the rule baseline in eval and as model input. */
export function news2OfSnapshot(s: Snapshot | undefined): News2Result {
  const v = (i: number): number | undefined => orUndefined(s?.values[i] ?? Number.NaN);
  const oxy = orUndefined(s?.onOxygen ?? Number.NaN);
  const na = orUndefined(s?.notAlert ?? Number.NaN);
  return news2({
    pulse: v(MODEL_CHANNELS.indexOf("heart_rate")),
    respiratoryRate: v(MODEL_CHANNELS.indexOf("respiratory_rate")),
    systolicBp: v(MODEL_CHANNELS.indexOf("systolic_bp")),
    spo2: v(MODEL_CHANNELS.indexOf("spo2")),
    temperatureC: v(MODEL_CHANNELS.indexOf("body_temperature")),
    spo2Scale: 1,
    onOxygen: oxy === undefined ? undefined : oxy === 1,
    // Unknown consciousness stays unknown (research §2.1: never "Alert by default").
    acvpu: na === undefined ? undefined : na === 1 ? "V" : "A",
  });
}

const SUBSCORE_ORDER = ["respiratory_rate", "spo2", "air_or_oxygen", "systolic_bp", "pulse", "consciousness", "temperature"] as const;

/** Writes the features of `state`'s window into `out` at `offset` (so a whole batch shares one buffer). */
export function writeFeatures(state: PatientState, out: Float32Array, offset = 0): void {
  let i = offset;
  for (let k = 0; k < WINDOW_STEPS; k++) {
    const s = state.steps[k];
    for (let c = 0; c < MODEL_CHANNELS.length; c++) {
      const v = s?.values[c] ?? Number.NaN;
      const d = s?.deviations[c] ?? Number.NaN;
      const spec = CHANNELS[MODEL_CHANNELS[c]!];
      const ok = Number.isFinite(v) && Number.isFinite(d);
      out[i++] = ok ? 1 : 0;
      out[i++] = ok ? clip((v - spec.mean) / spec.sd, 6) : 0;
      out[i++] = ok ? d : 0;
    }
  }
  for (let c = 0; c < MODEL_CHANNELS.length; c++) {
    const v = state.slow[c] ?? Number.NaN;
    const spec = CHANNELS[MODEL_CHANNELS[c]!];
    out[i++] = Number.isFinite(v) ? 1 : 0;
    out[i++] = Number.isFinite(v) ? clip((v - spec.mean) / spec.sd, 6) : 0;
  }
  const now = state.steps[0];
  const n = news2OfSnapshot(now);
  for (const p of SUBSCORE_ORDER) out[i++] = (n.subscores[p] ?? 0) / 3;
  out[i++] = n.total / 20;
  const oxy = now?.onOxygen ?? Number.NaN;
  const na = now?.notAlert ?? Number.NaN;
  out[i++] = Number.isNaN(oxy) ? 0 : 1;
  out[i++] = Number.isNaN(oxy) ? 0 : oxy;
  out[i++] = Number.isNaN(na) ? 0 : 1;
  out[i++] = Number.isNaN(na) ? 0 : na;
}

export function featuresOf(state: PatientState): Float32Array {
  const out = new Float32Array(FEATURE_COUNT);
  writeFeatures(state, out);
  return out;
}
