/**
 * `npx tsx scripts/anomaly-cv.ts [--epochs 4 --pos-weight 1 --late-deaths-after D --time-feature --folds 3]`
 * Model-choice evidence for goals (b) alert volume and (c) subgroup ratios, WITHOUT the test split:
 * K-fold cross-validation over the training + validation stays (buckets ≥ 30; the held-out split
 * is never loaded). The 58 deaths of the validation band are too few to compare variants — the
 * equal-sensitivity volume ratio hinges on the one or two hardest deaths — so each variant is
 * trained K times and scored out of fold. Prints per-fold and mean figures; writes nothing.
 * Variants scored on the same out-of-fold risks: hysteresis (clearBelow ratio), NEWS2 gates,
 * a logit blend with the NEWS2 total, and a 3-hour persistence (min of the last 3 risks).
 */
import * as tf from "@tensorflow/tfjs-core";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { FEATURE_COUNT } from "../src/core/anomaly/features.js";
import { initBackend } from "../src/adapters/tfjs/backend.js";
import { buildRiskModel } from "../src/adapters/tfjs/riskModel.js";
import { loadPhysionet2012, type Stay } from "../src/eval/physionet.js";
import { replay, type StaySeries } from "../src/eval/replay.js";
import { bucket, DEFAULT_SPLIT } from "../src/eval/split.js";
import { alertFigures, auroc, episodes, maxOf } from "../src/eval/metrics.js";
import { NEWS2_MEDIUM, outcomeOf } from "../src/eval/evaluate.js";
import { subgroupTable } from "../src/eval/subgroups.js";
import { mulberry32 } from "../src/eval/bootstrap.js";

const { values: o } = parseArgs({
  options: {
    data: { type: "string" },
    epochs: { type: "string", default: "4" },
    seed: { type: "string", default: "20120" },
    folds: { type: "string", default: "3" },
    "pos-weight": { type: "string", default: "1" },
    // Deaths later than this many days get a soft label 0.5 (0 = off): "deteriorating now" vs "dies in 3 weeks".
    "late-deaths-after": { type: "string", default: "0" },
    // Extra input: hours since monitoring began / 24, capped at 1 (experiment only; the committed model has none).
    "time-feature": { type: "boolean" },
  },
});
const T = 48;
const F0 = FEATURE_COUNT;
const F = F0 + (o["time-feature"] ? 1 : 0);
const DATA = o.data ?? ["../shared/data/physionet-challenge-2012-seta", "../../shared/data/physionet-challenge-2012-seta"].find((d) => existsSync(d));
if (!DATA) throw new Error("no --data");

const label = (s: Stay): number => {
  const late = Number(o["late-deaths-after"]);
  if (!s.died) return 0;
  return late > 0 && s.survivalDays > late ? 0.5 : 1;
};

type Variant = (s: StaySeries) => Float32Array;
const gate = (k: number): Variant => (s) => s.score.map((v, t) => (s.news2[t]! >= k ? v : v * 0.01));
const logit = (p: number): number => Math.log(Math.max(p, 1e-6) / Math.max(1 - p, 1e-6));
const VARIANTS: Record<string, { score: Variant; clearRatio: number }> = {
  "model (clear 0.85×, committed rule)": { score: (s) => s.score, clearRatio: 0.85 },
  "model, no hysteresis": { score: (s) => s.score, clearRatio: 1 },
  "model, clear 0.6×": { score: (s) => s.score, clearRatio: 0.6 },
  "risk AND NEWS2 ≥ 4": { score: gate(4), clearRatio: 0.85 },
  "risk AND NEWS2 ≥ 5": { score: gate(5), clearRatio: 0.85 },
  "logit blend + 0.2 × (NEWS2 − 5)": { score: (s) => s.score.map((v, t) => 1 / (1 + Math.exp(-(logit(v) + 0.2 * (s.news2[t]! - 5))))), clearRatio: 0.85 },
  "min of last 3 risks": { score: (s) => s.score.map((_, t) => Math.min(...s.score.slice(Math.max(0, t - 2), t + 1))), clearRatio: 0.85 },
};

/** Equal-sensitivity volume ratio, cardiac-surgery alert-rate ratio and worst subgroup ratio at that threshold. */
function matched(S: StaySeries[], sc: Float32Array[], clearRatio: number): { vol: number; csru: number; worst: number } {
  const out = S.map((s) => outcomeOf(s.stay, T));
  const n5 = alertFigures(S.map((s) => episodes(s.news2, NEWS2_MEDIUM)), out, 1);
  const all = sc.flatMap((s) => [...s]).sort((a, b) => a - b);
  const grid = [...new Set(Array.from({ length: 300 }, (_, i) => all[Math.floor((i / 300) * (all.length - 1))]!))].filter((q) => q > 0);
  let best: { t: number; apd: number } | undefined;
  for (const t of grid) {
    const f = alertFigures(sc.map((s) => episodes(s, { threshold: t, clearBelow: t * clearRatio })), out, 1);
    if (f.sensitivity >= n5.sensitivity && (!best || f.alertsPerPatientDay < best.apd)) best = { t, apd: f.alertsPerPatientDay };
  }
  if (!best) return { vol: Number.NaN, csru: Number.NaN, worst: Number.NaN };
  const rows = subgroupTable(S.map((s, i) => ({ ...s, score: sc[i]! })), out, { news2: NEWS2_MEDIUM, gateway: { threshold: best.t, clearBelow: best.t * clearRatio } }, 1);
  const ratios = rows.flatMap((r) => [r.gateway.alertRateRatio, r.gateway.sensitivityRatio]).filter((r) => Number.isFinite(r) && r > 0);
  return {
    vol: best.apd / n5.alertsPerPatientDay,
    csru: rows.find((r) => r.group === "cardiac surgery")?.gateway.alertRateRatio ?? Number.NaN,
    worst: Math.max(...ratios.map((r) => Math.max(r, 1 / r))),
  };
}

async function main(): Promise<void> {
  await initBackend({ prefer: "wasm" });
  const loaded = await loadPhysionet2012(DATA!, (id) => bucket(id, DEFAULT_SPLIT) >= DEFAULT_SPLIT.testBelow);
  const stays = loaded.stays;
  const N = stays.length;
  const X = new Float32Array(N * T * F);
  const M = new Uint8Array(N * T);
  const base = replay(stays, {
    ticks: T,
    stepMs: 3_600_000,
    onFeatures: (t, buf, has) => {
      for (let i = 0; i < N; i++) {
        X.set(buf.subarray(i * F0, (i + 1) * F0), (i * T + t) * F);
        if (F > F0) X[(i * T + t) * F + F0] = Math.min(t + 1, 24) / 24;
        M[i * T + t] = has[i]!;
      }
    },
  }).series;
  const K = Number(o.folds);
  const fold = stays.map((s) => bucket(s.recordId, DEFAULT_SPLIT) % K);
  const res = new Map<string, number[]>();
  const push = (k: string, v: number): void => void res.set(k, [...(res.get(k) ?? []), v]);
  for (let f = 0; f < K; f++) {
    const rows: number[] = [];
    for (let i = 0; i < N; i++) if (fold[i] !== f) for (let t = 0; t < T; t++) if (M[i * T + t]) rows.push(i * T + t);
    const rand = mulberry32(Number(o.seed) + f);
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    const xb = new Float32Array(rows.length * F);
    const yb = new Float32Array(rows.length);
    rows.forEach((r, k) => {
      xb.set(X.subarray(r * F, (r + 1) * F), k * F);
      yb[k] = label(stays[Math.floor(r / T)]!);
    });
    const model = buildRiskModel(F, Number(o.seed));
    model.compile({ optimizer: tf.train.adam(1e-3), loss: "binaryCrossentropy" });
    const [x, y] = [tf.tensor2d(xb, [rows.length, F]), tf.tensor2d(yb, [rows.length, 1])];
    const pw = Number(o["pos-weight"]);
    await model.fit(x, y, { epochs: Number(o.epochs), batchSize: 256, shuffle: false, verbose: 0, ...(pw !== 1 ? { classWeight: { 0: 1, 1: pw } } : {}) });
    x.dispose();
    y.dispose();
    const idx = stays.map((_, i) => i).filter((i) => fold[i] === f);
    const xv = new Float32Array(idx.length * T * F);
    idx.forEach((i, k) => xv.set(X.subarray(i * T * F, (i + 1) * T * F), k * T * F));
    const p = tf.tidy(() => (model.predict(tf.tensor2d(xv, [idx.length * T, F])) as tf.Tensor).dataSync() as Float32Array);
    model.dispose();
    // As in replay: a tick without fresh data scores 0.
    const S: StaySeries[] = idx.map((i, k) => ({ ...base[i]!, score: Float32Array.from({ length: T }, (_, t) => (M[i * T + t] ? p[k * T + t]! : 0)) }));
    const died = S.map((s) => s.stay.died);
    push("NEWS2 AUROC", auroc(S.map((s) => maxOf(s.news2)), died));
    for (const [name, v] of Object.entries(VARIANTS)) {
      const sc = S.map(v.score);
      const m = matched(S, sc, v.clearRatio);
      push(`${name}: AUROC`, auroc(sc.map(maxOf), died));
      push(`${name}: volume × NEWS2≥5 at equal sensitivity`, m.vol);
      push(`${name}: cardiac-surgery alert-rate ratio`, m.csru);
      push(`${name}: worst subgroup ratio (max of r, 1/r)`, m.worst);
    }
    process.stderr.write(`fold ${f + 1}/${K} done\n`);
  }
  process.stdout.write(`${JSON.stringify(o)}; ${N} non-held-out stays, ${K} folds\n`);
  for (const [k, v] of res) process.stdout.write(`${k.padEnd(75)} mean ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(3)}  folds ${v.map((x) => x.toFixed(2)).join(" ")}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`anomaly-cv: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
