import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { loadTfjsAnomalyModel } from "../../src/adapters/tfjs/tfjsAnomalyModel.js";
import { FEATURE_COUNT } from "../../src/core/anomaly/features.js";

describe("tfjs scoring leaks no tensors", () => {
  it("numTensors stays flat over 10,000 windows (batches of 1 to 256)", async () => {
    const { model } = await loadTfjsAnomalyModel("models/vitals-risk", { backend: "wasm" });
    const w = new Float32Array(FEATURE_COUNT).map((_, i) => Math.sin(i));
    model.scoreBatch([w]); // first call may allocate lazily-built state
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    let windows = 0;
    for (const batch of [1, 7, 64, 256]) {
      const ws = Array.from({ length: batch }, () => w);
      const calls = Math.ceil(2_500 / batch);
      for (let i = 0; i < calls; i++) {
        expect(model.scoreBatch(ws).status).toBe("ok");
        windows += batch;
      }
      counts.push(tf.memory().numTensors);
    }
    expect(windows).toBeGreaterThanOrEqual(10_000);
    expect(counts).toEqual(counts.map(() => before));
    model.dispose();
  });
});
