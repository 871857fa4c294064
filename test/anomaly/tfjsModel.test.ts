import { afterAll, describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadTfjsAnomalyModel, TfjsAnomalyModel } from "../../src/adapters/tfjs/tfjsAnomalyModel.js";
import { ModelFileError } from "../../src/adapters/tfjs/fsHandler.js";
import { openAnomalyModel } from "../../src/adapters/tfjs/openModel.js";
import { FEATURE_COUNT } from "../../src/core/anomaly/features.js";
import type { ModelMetadata } from "../../src/ports/anomalyModel.js";
import { MODEL_UNAVAILABLE_CAUSE } from "../../src/core/anomaly/advisory.js";

const MODEL = "models/vitals-risk";
const tmp = mkdtempSync(path.join(tmpdir(), "vg-model-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function copyModel(name: string): string {
  const dir = path.join(tmp, name);
  cpSync(MODEL, dir, { recursive: true });
  return dir;
}

describe("committed model artifact", () => {
  it("is small, versioned and carries its training-data hash in metadata and model.json", async () => {
    const meta = JSON.parse(readFileSync(path.join(MODEL, "metadata.json"), "utf8")) as ModelMetadata;
    const mj = JSON.parse(readFileSync(path.join(MODEL, "model.json"), "utf8")) as { userDefinedMetadata: ModelMetadata };
    expect(meta.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(meta.trainingDataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(mj.userDefinedMetadata.trainingDataHash).toBe(meta.trainingDataHash);
    expect(readFileSync(path.join(MODEL, "weights.bin")).length).toBeLessThan(100_000);
    const { model } = await loadTfjsAnomalyModel(MODEL, { backend: "wasm" });
    expect(model.metadata.featureCount).toBe(FEATURE_COUNT);
    model.dispose();
  });
});

describe("missing or corrupt model files: clear error naming the file", () => {
  it.each([
    ["missing model.json", (d: string) => unlinkSync(path.join(d, "model.json")), /model\.json: missing/],
    ["missing weights.bin", (d: string) => unlinkSync(path.join(d, "weights.bin")), /weights\.bin: missing/],
    ["truncated weights.bin", (d: string) => truncateSync(path.join(d, "weights.bin"), 100), /weights\.bin: 100 bytes, manifest expects \d+/],
    ["model.json not JSON", (d: string) => writeFileSync(path.join(d, "model.json"), "{not json"), /model\.json: not valid JSON/],
    ["model.json not a Layers model", (d: string) => writeFileSync(path.join(d, "model.json"), "{}"), /model\.json: not a tfjs Layers model/],
    ["missing metadata.json", (d: string) => unlinkSync(path.join(d, "metadata.json")), /metadata\.json: missing/],
    ["metadata.json without a version", (d: string) => writeFileSync(path.join(d, "metadata.json"), JSON.stringify({ name: "x" })), /metadata\.json: missing fields: version/],
  ])("%s", async (name, breakIt, message) => {
    const dir = copyModel(name.replace(/\W+/g, "-"));
    breakIt(dir);
    const err = await loadTfjsAnomalyModel(dir, { backend: "wasm" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ModelFileError);
    expect((err as Error).message).toMatch(message);
  });

  it("openAnomalyModel never throws: rules-alone model plus the technical condition", async () => {
    const opened = await openAnomalyModel(path.join(tmp, "does-not-exist"), { backend: "wasm" });
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.error).toMatch(/does-not-exist.*missing/);
    expect(opened.technical.cause).toBe(MODEL_UNAVAILABLE_CAUSE);
    const r = opened.model.scoreBatch([new Float32Array(FEATURE_COUNT)]);
    expect(r).toEqual({ status: "unavailable", reason: opened.error });
  });

  it("openAnomalyModel on the committed model is ok", async () => {
    const opened = await openAnomalyModel(MODEL, { backend: "wasm" });
    expect(opened.ok).toBe(true);
    opened.model.dispose();
  });
});

describe("time budget", () => {
  it("scoring slower than the budget is reported unavailable", async () => {
    const { model: m } = await loadTfjsAnomalyModel(MODEL, { backend: "wasm" });
    let t = 0;
    const slow = new TfjsAnomalyModel(m.layersModel, m.metadata, { budgetMs: 5, now: () => (t += 10) });
    const r = slow.scoreBatch([new Float32Array(FEATURE_COUNT)]);
    expect(r.status).toBe("unavailable");
    if (r.status === "unavailable") expect(r.reason).toMatch(/over time budget \(10\.0 ms > 5 ms\)/);
    const fast = new TfjsAnomalyModel(m.layersModel, m.metadata, { budgetMs: 5, now: () => (t += 1) });
    expect(fast.scoreBatch([new Float32Array(FEATURE_COUNT)]).status).toBe("ok");
    m.dispose();
  });

  it("NaN in a window is treated as missing, never a NaN score", async () => {
    const { model } = await loadTfjsAnomalyModel(MODEL, { backend: "wasm" });
    const w = new Float32Array(FEATURE_COUNT).fill(Number.NaN);
    const r = model.scoreBatch([w]);
    expect(r.status).toBe("ok");
    if (r.status === "ok") expect(Number.isFinite(r.scores[0])).toBe(true);
    model.dispose();
  });
});
