/**
 * An AnomalyModel fake for tests: pure, synchronous, scores from NEWS2 alone. (The stand-in the
 * gateway itself uses when the model cannot load is src/core/anomaly/unavailableModel.ts.)
 */
import type { AnomalyModel, ModelMetadata, ScoreResult } from "../../src/ports/anomalyModel.js";
import { FEATURE_COUNT, NEWS2_TOTAL_INDEX } from "../../src/core/anomaly/features.js";
import { DEFAULT_STEP_MS, WINDOW_STEPS } from "../../src/core/anomaly/patientState.js";

export const FAKE_METADATA: ModelMetadata = {
  name: "fake",
  version: "0.0.0-fake",
  trainingDataHash: "none",
  featureCount: FEATURE_COUNT,
  windowSteps: WINDOW_STEPS,
  stepMs: DEFAULT_STEP_MS,
  threshold: 0.5,
  clearBelow: 0.4,
  split: { hash: "fnv1a32", modulo: 100, testBelow: 30 },
  seed: 0,
  trainedAt: "1970-01-01T00:00:00.000Z",
};

/** Score = logistic(NEWS2 total − 6): monotone in NEWS2, 0.5 at 6. Optional `fail` to script outages. */
export class FakeAnomalyModel implements AnomalyModel {
  calls = 0;
  constructor(
    readonly metadata: ModelMetadata = FAKE_METADATA,
    private readonly fail?: (call: number) => string | undefined,
  ) {}

  scoreBatch(windows: readonly Float32Array[]): ScoreResult {
    const why = this.fail?.(this.calls++);
    if (why !== undefined) return { status: "unavailable", reason: why };
    const bad = windows.findIndex((w) => w.length !== this.metadata.featureCount);
    if (bad >= 0) return { status: "unavailable", reason: `window ${bad} has ${windows[bad]!.length} features, model expects ${this.metadata.featureCount}` };
    const scores = new Float32Array(windows.length);
    windows.forEach((w, i) => {
      const total = Number.isFinite(w[NEWS2_TOTAL_INDEX]!) ? w[NEWS2_TOTAL_INDEX]! * 20 : 0;
      scores[i] = 1 / (1 + Math.exp(-(total - 6)));
    });
    return { status: "ok", scores, version: this.metadata.version };
  }

  dispose(): void {}
}
