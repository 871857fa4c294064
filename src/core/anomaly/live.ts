/**
 * The live-pipeline side of the anomaly layer, pure: readings → per-patient state, one batch of
 * windows per tick, and the model's result mapped back to patients for applyModelTick.
 * The lead's pipeline owns the clock and the RxJS plumbing; these are the functions it calls.
 */
import type { Reading } from "../model.js";
import type { ScoreResult } from "../../ports/anomalyModel.js";
import type { TickScores } from "./advisory.js";
import { hasFreshData } from "./advisory.js";
import { FEATURE_COUNT, writeFeatures } from "./features.js";
import { newPatientState, observe, tick, type Observation, type PatientState } from "./patientState.js";

/** Converts a decoded reading into a model observation (units to mmHg / °C); undefined if the model does not use it. */
export function observationOf(r: Reading): Observation | undefined {
  if (r.quality.includes("artifact") || r.quality.includes("out_of_range")) return undefined; // gated upstream: never scored
  const at = (input: Observation["input"], value: number): Observation => ({ input, value, time: r.time });
  switch (r.vital) {
    case "heart_rate":
    case "pulse_rate":
      return at("heart_rate", r.value);
    case "respiratory_rate":
      return at("respiratory_rate", r.value);
    case "spo2":
      return at("spo2", r.value);
    case "systolic_bp":
      return at("systolic_bp", r.unit === "kPa" ? r.value * 7.50062 : r.value); // 1 kPa = 7.50062 mmHg
    case "body_temperature":
      return at("body_temperature", r.unit === "[degF]" ? ((r.value - 32) * 5) / 9 : r.value);
    default:
      return undefined;
  }
}

export type AnomalyStates = ReadonlyMap<string, PatientState>;

/** Folds one reading into its patient's state (new map; other patients shared). */
export function observeReading(states: AnomalyStates, r: Reading): AnomalyStates {
  const o = observationOf(r);
  if (!o) return states;
  const next = new Map(states);
  next.set(r.patientId, observe(states.get(r.patientId) ?? newPatientState(), o));
  return next;
}

/** Nurse/clinician context the wearables cannot measure: on oxygen, and ACVPU not Alert. */
export function observeContext(states: AnomalyStates, patientId: string, input: "on_oxygen" | "not_alert", value: boolean, time: number): AnomalyStates {
  const next = new Map(states);
  next.set(patientId, observe(states.get(patientId) ?? newPatientState(), { input, value: value ? 1 : 0, time }));
  return next;
}

export interface TickBatch {
  readonly states: AnomalyStates;
  /** Patients with fresh data this tick, in window order. */
  readonly patientIds: string[];
  /** One window per patient in patientIds, views into one buffer. */
  readonly windows: Float32Array[];
}

/** Closes a step for every patient; `inAlarm` freezes that patient's baselines. */
export function tickAll(states: AnomalyStates, now: number, inAlarm: (patientId: string) => boolean): TickBatch {
  const next = new Map<string, PatientState>();
  for (const [id, s] of states) next.set(id, tick(s, now, inAlarm(id)));
  const patientIds = [...next].filter(([, s]) => hasFreshData(s)).map(([id]) => id);
  const buf = new Float32Array(patientIds.length * FEATURE_COUNT);
  const windows = patientIds.map((id, i) => {
    writeFeatures(next.get(id)!, buf, i * FEATURE_COUNT);
    return buf.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT);
  });
  return { states: next, patientIds, windows };
}

/** Maps a scoreBatch result back to patients, for applyModelTick. */
export function tickScores(patientIds: readonly string[], r: ScoreResult): TickScores {
  if (r.status !== "ok") return r;
  return { status: "ok", version: r.version, scores: new Map(patientIds.map((id, i) => [id, r.scores[i]!])) };
}
