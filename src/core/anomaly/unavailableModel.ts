/**
 * Stands in when the model could not load: every call says why, and the gateway runs on rules
 * alone (alerts say "model unavailable"; DESIGN: the model never suppresses a rule alarm).
 */
import type { AnomalyModel, ModelMetadata, ScoreResult } from "../../ports/anomalyModel.js";
import { FEATURE_COUNT } from "./features.js";
import { DEFAULT_STEP_MS, WINDOW_STEPS } from "./patientState.js";

/** Says plainly that no model is in use, so nothing downstream mistakes it for a trained one. */
export const UNAVAILABLE_METADATA: ModelMetadata = {
  name: "unavailable",
  version: "unavailable",
  trainingDataHash: "none",
  featureCount: FEATURE_COUNT,
  windowSteps: WINDOW_STEPS,
  stepMs: DEFAULT_STEP_MS,
  threshold: 0.5, // never reached: it scores nothing
  clearBelow: 0.4,
  split: { hash: "fnv1a32", modulo: 100, testBelow: 30 },
  seed: 0,
  trainedAt: "1970-01-01T00:00:00.000Z",
};

export class UnavailableAnomalyModel implements AnomalyModel {
  constructor(
    readonly reason: string,
    readonly metadata: ModelMetadata = UNAVAILABLE_METADATA,
  ) {}

  scoreBatch(): ScoreResult {
    return { status: "unavailable", reason: this.reason };
  }

  dispose(): void {}
}
