/**
 * AnomalyModel on TensorFlow.js: loads models/<name>/ through the file-system IOHandler, checks
 * it against its metadata, and scores a batch synchronously inside tf.tidy (no tensor outlives a
 * call; test/anomaly/tfjsMemory.test.ts checks numTensors stays flat).
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { AnomalyModel, ModelMetadata, ScoreResult } from "../../ports/anomalyModel.js";
import { initBackend, type BackendInfo } from "./backend.js";
import { fileSystemHandler, ModelFileError } from "./fsHandler.js";

export interface TfjsModelOptions {
  /** Scoring slower than this (ms) is reported unavailable: alerts must not wait for the model. */
  readonly budgetMs?: number;
  /** Injectable for tests of the budget path. */
  readonly now?: () => number;
}

const METADATA_KEYS = ["name", "version", "trainingDataHash", "featureCount", "windowSteps", "stepMs", "threshold", "clearBelow", "split", "seed"] as const;

async function readMetadata(dir: string): Promise<ModelMetadata> {
  const file = path.join(dir, "metadata.json");
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelFileError(file, code === "ENOENT" ? "missing" : `not readable JSON (${(e as Error).message})`);
  }
  const missing = METADATA_KEYS.filter((k) => typeof raw !== "object" || raw === null || !(k in raw));
  if (missing.length) throw new ModelFileError(file, `missing fields: ${missing.join(", ")}`);
  return raw as ModelMetadata;
}

export class TfjsAnomalyModel implements AnomalyModel {
  private readonly budgetMs: number;
  private readonly now: () => number;

  constructor(
    private readonly model: tfl.LayersModel,
    readonly metadata: ModelMetadata,
    opts: TfjsModelOptions = {},
  ) {
    this.budgetMs = opts.budgetMs ?? Number.POSITIVE_INFINITY;
    this.now = opts.now ?? (() => performance.now());
  }

  scoreBatch(windows: readonly Float32Array[]): ScoreResult {
    const n = windows.length;
    const f = this.metadata.featureCount;
    if (n === 0) return { status: "ok", scores: new Float32Array(0), version: this.metadata.version };
    const bad = windows.findIndex((w) => w.length !== f);
    if (bad >= 0) return { status: "unavailable", reason: `window ${bad} has ${windows[bad]!.length} features, model expects ${f}` };
    const started = this.now();
    let scores: Float32Array;
    try {
      const flat = new Float32Array(n * f);
      windows.forEach((w, i) => flat.set(w, i * f));
      // A NaN that slipped past feature building would poison the whole row: treat it as "missing".
      for (let i = 0; i < flat.length; i++) if (!Number.isFinite(flat[i]!)) flat[i] = 0;
      scores = tf.tidy(() => (this.model.predict(tf.tensor2d(flat, [n, f])) as tf.Tensor).dataSync() as Float32Array);
    } catch (e) {
      return { status: "unavailable", reason: `model failed: ${(e as Error).message}` };
    }
    const elapsed = this.now() - started;
    if (elapsed > this.budgetMs) return { status: "unavailable", reason: `over time budget (${elapsed.toFixed(1)} ms > ${this.budgetMs} ms)` };
    if (scores.some((s) => !Number.isFinite(s))) return { status: "unavailable", reason: "model produced a non-finite score" };
    return { status: "ok", scores: Float32Array.from(scores), version: this.metadata.version };
  }

  /** Raw model for the benchmark baseline. */
  get layersModel(): tfl.LayersModel {
    return this.model;
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** Loads and validates models/<name>/; throws ModelFileError naming the file and what is wrong. */
export async function loadTfjsAnomalyModel(dir: string, opts: TfjsModelOptions & { backend?: "auto" | "wasm" } = {}): Promise<{ model: TfjsAnomalyModel; backend: BackendInfo }> {
  const backend = await initBackend({ prefer: opts.backend ?? "auto" });
  const metadata = await readMetadata(dir);
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(fileSystemHandler(dir));
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(path.join(dir, "model.json"), `cannot build model (${(e as Error).message})`);
  }
  const inShape = model.inputs[0]?.shape;
  if (inShape?.[1] !== metadata.featureCount) {
    model.dispose();
    throw new ModelFileError(path.join(dir, "model.json"), `input has ${String(inShape?.[1])} features, metadata says ${metadata.featureCount}`);
  }
  return { model: new TfjsAnomalyModel(model, metadata, opts), backend };
}
