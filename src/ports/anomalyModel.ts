/**
 * The learned half of the anomaly layer (DESIGN §1): scores a batch of feature windows, one per
 * patient, synchronously, once per tick. It never throws: a failure or a blown time budget is a
 * value, and the caller marks alerts "model unavailable" and keeps alerting on rules.
 */
import type { BudgetRow } from "../core/anomaly/budget.js";

export type ScoreResult =
  | { readonly status: "ok"; readonly scores: Float32Array; readonly version: string }
  | { readonly status: "unavailable"; readonly reason: string };

/** What travels with a committed model (models/<name>/metadata.json and model.json userDefinedMetadata). */
export interface ModelMetadata {
  readonly name: string;
  /** Semantic version of the artifact; bumped on every retrain. */
  readonly version: string;
  /** sha256 of the training files and the split rule, so a score can be traced to its data. */
  readonly trainingDataHash: string;
  readonly featureCount: number;
  readonly windowSteps: number;
  readonly stepMs: number;
  /** Advisory raised at score ≥ threshold, cleared below clearBelow (hysteresis). */
  readonly threshold: number;
  readonly clearBelow: number;
  /** Budget (advisories per patient-day) → threshold, measured on the validation band by `npm run train`; the gateway picks its row by config. */
  readonly advisoryBudgets?: readonly BudgetRow[];
  /** Held-out split: stays whose fnv1a32(RecordID) % modulo < testBelow were never trained on. */
  readonly split: { readonly hash: "fnv1a32"; readonly modulo: number; readonly testBelow: number };
  readonly seed: number;
  readonly trainedAt: string;
  readonly notes?: string;
}

export interface AnomalyModel {
  readonly metadata: ModelMetadata;
  /** Each window is a Float32Array of metadata.featureCount values; scores come back in the same order. */
  scoreBatch(windows: readonly Float32Array[]): ScoreResult;
  dispose(): void;
}
