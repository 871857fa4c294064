/**
 * `nice -n 10 npx tsx scripts/train-seq-cv.ts [--folds 3 --epochs 6 --dense-epochs 4 --units 16 --seed 20120]`
 * Issue 12, "a model worth its place": the GRU sequence model (src/adapters/tfjs/sequenceModel.ts)
 * against the committed dense recipe, K-fold cross-validated over ALL 3,000 shared stays (same
 * folds, same features, both seeded). Out-of-fold figures per fold and their mean: per-stay-max
 * AUROC, alert volume × NEWS2 ≥ 5 at its sensitivity, and — what the deployed advisory lives
 * on — sensitivity at 0.3 advisories per patient-day. Also times scoring per window, and checks
 * determinism by training the first fold's GRU twice. Writes nothing; never part of `npm test`.
 */
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { FEATURE_COUNT } from "../src/core/anomaly/features.js";
import { CLEAR_RATIO, DEFAULT_ADVISORY_BUDGET } from "../src/core/anomaly/budget.js";
import { initBackend } from "../src/adapters/tfjs/backend.js";
import { buildRiskModel } from "../src/adapters/tfjs/riskModel.js";
import { buildSequenceModel, STEP_FEATURES, stepFeatures } from "../src/adapters/tfjs/sequenceModel.js";
import { loadPhysionet2012 } from "../src/eval/physionet.js";
import { replay } from "../src/eval/replay.js";
import { bucket, DEFAULT_SPLIT } from "../src/eval/split.js";
import { alertFigures, auroc, episodes, maxOf, type StayOutcome } from "../src/eval/metrics.js";
import { NEWS2_MEDIUM, outcomeOf } from "../src/eval/evaluate.js";
import { mulberry32 } from "../src/eval/bootstrap.js";

const { values: o } = parseArgs({
  options: {
    data: { type: "string" },
    folds: { type: "string", default: "3" },
    epochs: { type: "string", default: "6" },
    "dense-epochs": { type: "string", default: "4" },
    units: { type: "string", default: "16" },
    seed: { type: "string", default: "20120" },
  },
});
const T = 48;
const F = FEATURE_COUNT;
const P = STEP_FEATURES;
const DATA = o.data ?? ["../shared/data/physionet-challenge-2012-seta", "../../shared/data/physionet-challenge-2012-seta"].find((d) => existsSync(d));
if (!DATA) throw new Error("no --data");
const seed = Number(o.seed);

function shuffle<X>(xs: X[], rand: () => number): X[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/** Out-of-fold figures for one detector's per-hour scores. */
function figures(sc: Float32Array[], news: Float32Array[], out: StayOutcome[]): { auc: number; vol: number; sensAtBudget: number } {
  const died = out.map((x) => x.died);
  const n5 = alertFigures(news.map((s) => episodes(s, NEWS2_MEDIUM)), out, 1);
  const all = sc.flatMap((s) => [...s]).sort((a, b) => b - a);
  const grid = [...new Set(Array.from({ length: 400 }, (_, i) => all[Math.floor((i / 400) * (all.length - 1))]!))].filter((q) => q > 0);
  let vol = Number.NaN;
  let sensAtBudget = 0;
  let overBudget = false;
  for (const t of grid) {
    const f = alertFigures(sc.map((s) => episodes(s, { threshold: t, clearBelow: t * CLEAR_RATIO })), out, 1);
    if (!overBudget && f.alertsPerPatientDay <= DEFAULT_ADVISORY_BUDGET) sensAtBudget = f.sensitivity;
    else overBudget = true;
    if (f.sensitivity >= n5.sensitivity && !(f.alertsPerPatientDay / n5.alertsPerPatientDay >= vol)) vol = f.alertsPerPatientDay / n5.alertsPerPatientDay;
  }
  return { auc: auroc(sc.map(maxOf), died), vol, sensAtBudget };
}

async function trainGru(X: Float32Array, Y: Float32Array, train: number[], rand: () => number): Promise<tfl.LayersModel> {
  const model = buildSequenceModel(T, seed, Number(o.units));
  model.compile({ optimizer: tf.train.adam(2e-3), loss: "binaryCrossentropy" });
  for (let e = 0; e < Number(o.epochs); e++) {
    const order = shuffle([...train], rand);
    const xb = new Float32Array(order.length * T * P);
    const yb = new Float32Array(order.length * T);
    order.forEach((i, k) => {
      xb.set(X.subarray(i * T * P, (i + 1) * T * P), k * T * P);
      yb.fill(Y[i]!, k * T, (k + 1) * T);
    });
    const [x, y] = [tf.tensor3d(xb, [order.length, T, P]), tf.tensor3d(yb, [order.length, T, 1])];
    await model.fit(x, y, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
    x.dispose();
    y.dispose();
  }
  return model;
}

async function trainDense(XD: Float32Array, M: Uint8Array, Y: Float32Array, train: number[], rand: () => number): Promise<tfl.LayersModel> {
  const rows = shuffle(train.flatMap((i) => Array.from({ length: T }, (_, t) => i * T + t).filter((r) => M[r])), rand);
  const xb = new Float32Array(rows.length * F);
  const yb = new Float32Array(rows.length);
  rows.forEach((r, k) => {
    xb.set(XD.subarray(r * F, (r + 1) * F), k * F);
    yb[k] = Y[Math.floor(r / T)]!;
  });
  const model = buildRiskModel(F, seed);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "binaryCrossentropy" });
  const [x, y] = [tf.tensor2d(xb, [rows.length, F]), tf.tensor2d(yb, [rows.length, 1])];
  await model.fit(x, y, { epochs: Number(o["dense-epochs"]), batchSize: 256, shuffle: false, verbose: 0 });
  x.dispose();
  y.dispose();
  return model;
}

async function main(): Promise<void> {
  await initBackend({ prefer: "wasm" });
  const stays = (await loadPhysionet2012(DATA!)).stays;
  const N = stays.length;
  const XD = new Float32Array(N * T * F);
  const X = new Float32Array(N * T * P);
  const M = new Uint8Array(N * T);
  const base = replay(stays, {
    ticks: T,
    stepMs: 3_600_000,
    onFeatures: (t, buf, has) => {
      for (let i = 0; i < N; i++) {
        const w = buf.subarray(i * F, (i + 1) * F);
        XD.set(w, (i * T + t) * F);
        stepFeatures(w, X, (i * T + t) * P);
        M[i * T + t] = has[i]!;
      }
    },
  }).series;
  const Y = Float32Array.from(stays, (s) => (s.died ? 1 : 0));
  const K = Number(o.folds);
  const fold = stays.map((s) => bucket(s.recordId, DEFAULT_SPLIT) % K);
  const rows: string[] = [];
  const sums = new Map<string, number[]>();
  const add = (k: string, v: number): void => void sums.set(k, [...(sums.get(k) ?? []), v]);
  for (let f = 0; f < K; f++) {
    const train = stays.map((_, i) => i).filter((i) => fold[i] !== f);
    const test = stays.map((_, i) => i).filter((i) => fold[i] === f);
    const out = test.map((i) => outcomeOf(stays[i]!, T));
    const news = test.map((i) => base[i]!.news2);
    const dense = await trainDense(XD, M, Y, train, mulberry32(seed + f));
    const xd = new Float32Array(test.length * T * F);
    test.forEach((i, k) => xd.set(XD.subarray(i * T * F, (i + 1) * T * F), k * T * F));
    const pd = tf.tidy(() => (dense.predict(tf.tensor2d(xd, [test.length * T, F])) as tf.Tensor).dataSync() as Float32Array);
    dense.dispose();
    const gru = await trainGru(X, Y, train, mulberry32(seed + 100 + f));
    const xs = new Float32Array(test.length * T * P);
    test.forEach((i, k) => xs.set(X.subarray(i * T * P, (i + 1) * T * P), k * T * P));
    const pg = tf.tidy(() => (gru.predict(tf.tensor3d(xs, [test.length, T, P])) as tf.Tensor).dataSync() as Float32Array);
    if (f === 0) {
      // Determinism: the same fold trained again must give bit-identical weights.
      const again = await trainGru(X, Y, train, mulberry32(seed + 100 + f));
      const same = gru.getWeights().every((w, k) => {
        const a = w.dataSync();
        const b = again.getWeights()[k]!.dataSync();
        return a.length === b.length && a.every((v, j) => v === b[j]);
      });
      rows.push(`determinism: GRU fold 1 trained twice → weights ${same ? "bit-identical" : "DIFFERENT"}`);
      again.dispose();
      // Scoring cost: live, each tick would run the whole 48-h sequence per patient (no state kept between ticks).
      const batch = tf.tensor3d(xs.subarray(0, 256 * T * P), [256, T, P]);
      const t0 = performance.now();
      for (let r = 0; r < 5; r++) tf.tidy(() => (gru.predict(batch) as tf.Tensor).dataSync());
      const gruUs = ((performance.now() - t0) / 5 / 256) * 1000;
      batch.dispose();
      rows.push(`scoring cost (wasm, batch 256, 48-h sequence): GRU ${gruUs.toFixed(0)} µs per window`);
    }
    gru.dispose();
    const per = (p: Float32Array): Float32Array[] => test.map((i, k) => Float32Array.from({ length: T }, (_, t) => (M[i * T + t] ? p[k * T + t]! : 0)));
    const n = figures(news, news, out);
    const d = figures(per(pd), news, out);
    const g = figures(per(pg), news, out);
    add("NEWS2 AUROC", n.auc);
    add("dense AUROC", d.auc);
    add("GRU AUROC", g.auc);
    add("GRU − dense AUROC", g.auc - d.auc);
    add("dense volume × NEWS2≥5 at equal sensitivity", d.vol);
    add("GRU volume × NEWS2≥5 at equal sensitivity", g.vol);
    add(`dense sensitivity at ${DEFAULT_ADVISORY_BUDGET}/patient-day`, d.sensAtBudget);
    add(`GRU sensitivity at ${DEFAULT_ADVISORY_BUDGET}/patient-day`, g.sensAtBudget);
    process.stderr.write(`fold ${f + 1}/${K}: AUROC NEWS2 ${n.auc.toFixed(3)} dense ${d.auc.toFixed(3)} GRU ${g.auc.toFixed(3)}\n`);
  }
  process.stdout.write(`${JSON.stringify(o)}; ${N} stays (all), ${K} folds, ${stays.filter((s) => s.died).length} deaths\n`);
  for (const [k, v] of sums) process.stdout.write(`${k.padEnd(48)} mean ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(3)}  folds ${v.map((x) => x.toFixed(3)).join(" ")}\n`);
  for (const r of rows) process.stdout.write(`${r}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`train-seq-cv: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
