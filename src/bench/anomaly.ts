/**
 * Anomaly model cost per window on wasm, at batch 1 and 256 (a tick across 256 patients),
 * against a raw tfjs predict of the same model in the same run; plus feature building per window.
 */
import * as tf from "@tensorflow/tfjs-core";
import { defaultModelDir } from "../cli/eval.js";
import { loadTfjsAnomalyModel } from "../adapters/tfjs/tfjsAnomalyModel.js";
import { FEATURE_COUNT, writeFeatures } from "../core/anomaly/features.js";
import { newPatientState, observe, tick } from "../core/anomaly/patientState.js";
import { opsPerSecond, type Bench, type BenchFigure } from "./bench.js";

const usPerWindow = (opsPerSec: number): number => 1e6 / opsPerSec;

/** Alternates the two measurements and keeps each one's best round, so neither profits from going second. */
function paired(a: () => void, b: () => void, opsPerCall: number, rounds = 5): [number, number] {
  let bestA = 0;
  let bestB = 0;
  for (let r = 0; r < rounds; r++) {
    bestA = Math.max(bestA, opsPerSecond(a, 400, opsPerCall));
    bestB = Math.max(bestB, opsPerSecond(b, 400, opsPerCall));
  }
  return [usPerWindow(bestA), usPerWindow(bestB)];
}

export const anomalyBench: Bench = {
  name: "anomaly model (tfjs wasm)",
  async run(): Promise<BenchFigure[]> {
    const { model, backend } = await loadTfjsAnomalyModel(defaultModelDir(), { backend: "wasm" });
    const raw = model.layersModel;
    const figures: BenchFigure[] = [];
    // Realistic windows: a patient observed hourly for 6 h.
    let st = newPatientState();
    for (let h = 1; h <= 6; h++) {
      for (const [input, value] of [["heart_rate", 80 + h], ["respiratory_rate", 18], ["systolic_bp", 120 - h], ["spo2", 96], ["body_temperature", 37.1]] as const) {
        st = observe(st, { input, value, time: h * 3_600_000 - 60_000 });
      }
      st = tick(st, h * 3_600_000, false);
    }
    for (const batch of [1, 256]) {
      const flat = new Float32Array(batch * FEATURE_COUNT);
      for (let i = 0; i < batch; i++) writeFeatures(st, flat, i * FEATURE_COUNT);
      const windows = Array.from({ length: batch }, (_, i) => flat.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT));
      const [base, ours] = paired(
        () => void tf.tidy(() => (raw.predict(tf.tensor2d(flat, [batch, FEATURE_COUNT])) as tf.Tensor).dataSync()),
        () => void model.scoreBatch(windows),
        batch,
      );
      const baseline = { name: `raw tfjs predict, batch ${batch}`, value: base };
      figures.push({ name: `raw tfjs predict, batch ${batch} (${backend.backend})`, value: base, unit: "µs/window" });
      figures.push({ name: `scoreBatch, batch ${batch} (${backend.backend})`, value: ours, unit: "µs/window", baseline });
    }
    const out = new Float32Array(FEATURE_COUNT);
    const feat = usPerWindow(opsPerSecond(() => writeFeatures(st, out), 500));
    const scored = figures.find((f) => f.name.startsWith("scoreBatch, batch 256"))!;
    figures.push({ name: "writeFeatures (NEWS2 + window)", value: feat, unit: "µs/window", baseline: { name: "scoreBatch, batch 256", value: scored.value } });
    model.dispose();
    return figures;
  },
};
