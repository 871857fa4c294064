/**
 * The live-pipeline side of the anomaly layer, pure: readings → per-patient state, one batch of
 * windows per tick, and the model's result mapped back to patients for applyModelTick.
 * The lead's pipeline owns the clock and the RxJS plumbing; these are the functions it calls.
 */
import type { Reading, Vital } from "../model.js";
import { toCanonical } from "../units.js";
import type { ModelChannel } from "./channels.js";
import type { ScoreResult } from "../../ports/anomalyModel.js";
import type { TickScores } from "./advisory.js";
import { hasFreshData } from "./advisory.js";
import { FEATURE_COUNT, writeFeatures } from "./features.js";
import { newPatientState, observe, tick, type Observation, type PatientState } from "./patientState.js";

const INPUT_OF: Partial<Record<Vital, ModelChannel>> = {
  heart_rate: "heart_rate",
  pulse_rate: "heart_rate",
  respiratory_rate: "respiratory_rate",
  spo2: "spo2",
  systolic_bp: "systolic_bp",
  body_temperature: "body_temperature",
};

/** Converts a decoded reading into a model observation in canonical units; undefined if the model does not use it. */
export function observationOf(r: Reading): Observation | undefined {
  if (r.quality.includes("artifact") || r.quality.includes("out_of_range")) return undefined; // gated upstream: never scored
  const input = INPUT_OF[r.vital];
  const value = input ? toCanonical(r.vital, r.value, r.unit) : undefined;
  return input && value !== undefined ? { input, value, time: r.time } : undefined;
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
