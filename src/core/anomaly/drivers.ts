/**
 * What drives an advisory, in words a nurse reads. Attribution by occlusion: the patient's window
 * is scored again with one vital removed at a time (its values, baseline deviations, slow trend and
 * NEWS2 subscore treated as missing, exactly as when a sensor is off); the vitals whose removal
 * lowers the risk most are the ones driving it. Each is then described by what it did over the
 * window: rising, falling, or high/low against the patient's own baseline. Pure: the runner does
 * the scoring, only for patients whose advisory is being raised.
 */
import { MODEL_CHANNELS, type ModelChannel } from "./channels.js";
import { featuresOf } from "./features.js";
import type { PatientState, Snapshot } from "./patientState.js";

const WORDS: Readonly<Record<ModelChannel, { name: string; unit: string; digits: number; step: number }>> = {
  // `step`: a change smaller than this over the window is "steady" (about one NEWS2 band's width or less).
  heart_rate: { name: "heart rate", unit: "/min", digits: 0, step: 10 },
  respiratory_rate: { name: "breathing rate", unit: "/min", digits: 0, step: 3 },
  systolic_bp: { name: "systolic BP", unit: " mmHg", digits: 0, step: 10 },
  spo2: { name: "SpO₂", unit: " %", digits: 0, step: 2 },
  body_temperature: { name: "temperature", unit: " °C", digits: 1, step: 0.5 },
};

/** A contribution below this (risk units) is noise, not a driver. */
const MIN_CONTRIBUTION = 0.01;
const MAX_DRIVERS = 3;

/** The window once per model vital with that vital removed, in MODEL_CHANNELS order. */
export function occludedWindows(state: PatientState): Float32Array[] {
  return MODEL_CHANNELS.map((_, c) => {
    const hide = (xs: readonly number[]): number[] => xs.map((x, i) => (i === c ? Number.NaN : x));
    const steps: Snapshot[] = state.steps.map((s) => ({ ...s, values: hide(s.values), deviations: hide(s.deviations) }));
    return featuresOf({ ...state, steps, slow: hide(state.slow) });
  });
}

/** Oldest and newest fresh value of a channel inside the window, with the hours between them. */
function span(state: PatientState, c: number): { first: number; last: number; hours: number } | undefined {
  const present = state.steps.filter((s) => Number.isFinite(s.values[c]!));
  const newest = present[0];
  const oldest = present[present.length - 1];
  if (!newest || !oldest) return undefined;
  return { first: oldest.values[c]!, last: newest.values[c]!, hours: (newest.time - oldest.time) / 3_600_000 };
}

/** One vital in words: "rising heart rate (88→121/min)", or "low SpO₂ for this patient (89 %)". */
export function describeChannel(state: PatientState, channel: ModelChannel): string | undefined {
  const c = MODEL_CHANNELS.indexOf(channel);
  const w = WORDS[channel];
  const s = span(state, c);
  if (!s) return undefined;
  const fmt = (x: number): string => x.toFixed(w.digits);
  const change = s.last - s.first;
  if (Math.abs(change) >= w.step) return `${change > 0 ? "rising" : "falling"} ${w.name} (${fmt(s.first)}→${fmt(s.last)}${w.unit})`;
  const dev = state.steps[0]?.deviations[c] ?? Number.NaN;
  const side = Number.isFinite(dev) && Math.abs(dev) >= 2 ? (dev > 0 ? "high" : "low") : undefined;
  return side ? `${side} ${w.name} for this patient (${fmt(s.last)}${w.unit})` : `${w.name} ${fmt(s.last)}${w.unit}`;
}

function hoursText(h: number): string {
  if (h >= 1) return `${Math.round(h)} h`;
  return `${Math.max(1, Math.round(h * 60))} min`;
}

/**
 * The advisory text: the risk, then up to three drivers, largest first, and the time they span.
 * `occluded[c]` is the risk with MODEL_CHANNELS[c] removed (NaN if not scored: no drivers named).
 */
export function advisoryMessage(state: PatientState, risk: number, occluded: ArrayLike<number>, version: string): string {
  const drivers = MODEL_CHANNELS.map((channel, c) => ({ channel, c, gain: risk - occluded[c]! }))
    .filter((d) => Number.isFinite(d.gain) && d.gain >= MIN_CONTRIBUTION && span(state, d.c))
    .sort((a, b) => b.gain - a.gain)
    .slice(0, MAX_DRIVERS);
  const head = `Deterioration risk ${risk.toFixed(2)}`;
  const tail = `review trends; rules unchanged (model ${version})`;
  if (drivers.length === 0) return `${head}: no single vital stands out — the combined pattern; ${tail}`;
  const words = drivers.map((d) => describeChannel(state, d.channel)).filter((x): x is string => x !== undefined);
  // "over N h" only when a named driver is a trend: a level has no duration worth reading.
  const trends = drivers.filter((d, i) => /^(rising|falling) /.test(words[i] ?? ""));
  const hours = Math.max(0, ...trends.map((d) => span(state, d.c)?.hours ?? 0));
  return `${head}: ${words.join(", ")}${hours > 0 ? ` over ${hoursText(hours)}` : ""}; ${tail}`;
}
