/**
 * Replays stays through the anomaly layer in virtual time: at every step each stay's readings
 * up to that instant are observed, the step is closed with `tick`, and the model scores all stays
 * of the step in ONE batch — the same calls, in the same order, the live pipeline makes.
 */
import { FEATURE_COUNT, news2OfSnapshot, writeFeatures } from "../core/anomaly/features.js";
import { hasFreshData, RULE_FREEZE_NEWS2 } from "../core/anomaly/advisory.js";
import { newPatientState, observe, tick, type PatientState } from "../core/anomaly/patientState.js";
import type { AnomalyModel } from "../ports/anomalyModel.js";
import type { Stay } from "./physionet.js";

export interface StaySeries {
  readonly stay: Stay;
  /** NEWS2 total per tick. */
  readonly news2: Float32Array;
  /** The live NEWS2 rule's level per tick (src/core/alerting/conditions.ts news2Priority): 0 none, 1 total ≥ 5 or a single 3, 2 total ≥ 7. */
  readonly ruleLevel: Uint8Array;
  /** Model score per tick; NaN where the model was unavailable; 0 where the stay had no fresh data. */
  readonly score: Float32Array;
  /** Per tick: the count of model vitals with a fresh, plausible value (0–5), for data-completeness figures. */
  readonly fresh: Uint8Array;
}

export interface ReplayOptions {
  readonly ticks: number;
  readonly stepMs: number;
  readonly model?: AnomalyModel;
  /** Receives each tick's feature batch (row i = stays[i]); the buffer is reused between ticks. */
  readonly onFeatures?: (tick: number, features: Float32Array, hasData: Uint8Array) => void;
  readonly onProgress?: (tick: number) => void;
}

export interface ReplayResult {
  readonly series: StaySeries[];
  readonly unavailable: { readonly ticks: number; readonly reasons: string[] };
}

export function replay(stays: readonly Stay[], opts: ReplayOptions): ReplayResult {
  const n = stays.length;
  const states: PatientState[] = stays.map(() => newPatientState());
  const cursor = new Int32Array(n);
  const series = stays.map((stay) => ({ stay, news2: new Float32Array(opts.ticks), score: new Float32Array(opts.ticks), fresh: new Uint8Array(opts.ticks), ruleLevel: new Uint8Array(opts.ticks) }));
  const buf = new Float32Array(n * FEATURE_COUNT);
  const windows = Array.from({ length: n }, (_, i) => buf.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT));
  const hasData = new Uint8Array(n);
  const reasons = new Set<string>();
  let unavailableTicks = 0;
  for (let t = 0; t < opts.ticks; t++) {
    const now = (t + 1) * opts.stepMs;
    for (let i = 0; i < n; i++) {
      const obs = stays[i]!.observations;
      let s = states[i]!;
      while (cursor[i]! < obs.length && obs[cursor[i]!]!.time <= now) s = observe(s, obs[cursor[i]!++]!);
      // Baseline frozen while the rule layer is in high alarm (previous step's NEWS2).
      const frozen = t > 0 && series[i]!.news2[t - 1]! >= RULE_FREEZE_NEWS2;
      s = tick(s, now, frozen);
      states[i] = s;
      const n2 = news2OfSnapshot(s.steps[0]);
      series[i]!.news2[t] = n2.total;
      series[i]!.ruleLevel[t] = n2.total >= 7 ? 2 : n2.total >= 5 || n2.redScore ? 1 : 0;
      hasData[i] = hasFreshData(s) ? 1 : 0;
      series[i]!.fresh[t] = s.steps[0]!.values.filter((v) => !Number.isNaN(v)).length;
      writeFeatures(s, buf, i * FEATURE_COUNT);
    }
    opts.onFeatures?.(t, buf, hasData);
    if (opts.model) {
      const r = opts.model.scoreBatch(windows);
      if (r.status === "ok") for (let i = 0; i < n; i++) series[i]!.score[t] = hasData[i] ? r.scores[i]! : 0;
      else {
        unavailableTicks++;
        reasons.add(r.reason);
        for (let i = 0; i < n; i++) series[i]!.score[t] = Number.NaN;
      }
    }
    opts.onProgress?.(t);
  }
  return { series, unavailable: { ticks: unavailableTicks, reasons: [...reasons] } };
}
