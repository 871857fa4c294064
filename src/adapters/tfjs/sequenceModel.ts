/**
 * The sequence candidate of issue 12: a GRU over the hourly history, one risk per hour (causal:
 * hour t sees hours ≤ t only). Each hour's input is that hour's own slice of the dense model's
 * window — per-vital mask, population z and deviation from the personal baseline, the slow
 * EWMA, the NEWS2 subscores and context — so trends come from the recurrence, not from features.
 * Trains on wasm (GRU has the kernels; Conv1D training does not, research §5.3). Seeded
 * initialisers (glorot for the recurrent kernel too: tfjs's orthogonal initialiser fails on wasm).
 */
import * as tfl from "@tensorflow/tfjs-layers";
import { FEATURE_COUNT } from "../../core/anomaly/features.js";
import { MODEL_CHANNELS } from "../../core/anomaly/channels.js";

/** Newest-step block of the window, then everything after the 6 step blocks (slow, NEWS2, context). */
const STEP_BLOCK = MODEL_CHANNELS.length * 3;
const TAIL_FROM = 6 * STEP_BLOCK;
export const STEP_FEATURES = STEP_BLOCK + (FEATURE_COUNT - TAIL_FROM);

/** One hour's input from that hour's dense window. */
export function stepFeatures(window: Float32Array, out: Float32Array, offset: number): void {
  out.set(window.subarray(0, STEP_BLOCK), offset);
  out.set(window.subarray(TAIL_FROM, FEATURE_COUNT), offset + STEP_BLOCK);
}

export function buildSequenceModel(steps: number, seed: number, units = 16): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.gru({
        units,
        returnSequences: true,
        inputShape: [steps, STEP_FEATURES],
        kernelInitializer: tfl.initializers.glorotUniform({ seed }),
        recurrentInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
        kernelRegularizer: tfl.regularizers.l2({ l2: 1e-3 }),
      }),
      tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 1, activation: "sigmoid", kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 2 }) }) }),
    ],
  });
}
