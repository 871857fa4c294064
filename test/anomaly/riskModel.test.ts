import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { buildRiskModel } from "../../src/adapters/tfjs/riskModel.js";
import { initBackend } from "../../src/adapters/tfjs/backend.js";
import { mulberry32 } from "../../src/eval/bootstrap.js";

async function trainOnce(seed: number): Promise<Float32Array[]> {
  const m = buildRiskModel(12, seed);
  m.compile({ optimizer: tf.train.adam(1e-2), loss: "binaryCrossentropy" });
  const rand = mulberry32(1);
  const x = Float32Array.from({ length: 128 * 12 }, () => rand() * 2 - 1);
  const y = Float32Array.from({ length: 128 }, (_, i) => (x[i * 12]! > 0 ? 1 : 0));
  const xt = tf.tensor2d(x, [128, 12]);
  const yt = tf.tensor2d(y, [128, 1]);
  await m.fit(xt, yt, { epochs: 2, batchSize: 32, shuffle: false, verbose: 0 });
  const w = m.getWeights().map((t) => t.dataSync() as Float32Array);
  xt.dispose();
  yt.dispose();
  m.dispose();
  return w;
}

describe("risk model training is deterministic with a seed (wasm)", () => {
  it("same seed → bit-identical weights; different seed → different weights", async () => {
    await initBackend({ prefer: "wasm" });
    const a = await trainOnce(7);
    const b = await trainOnce(7);
    const c = await trainOnce(8);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});
