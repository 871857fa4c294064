/**
 * Reads a PhysioNet/CinC Challenge 2012 folder in the layout of shared/data/physionet-challenge-2012-seta
 * (`*_static.csv`, `*_outcomes.csv`, `*_long.csv.gz`) into stays of model observations.
 * Mapping (research/anomaly-detection.md §3.6): SaO2 stands in for SpO2, FiO2 > 0.21 or MechVent = 1
 * means supplemental oxygen, GCS < 15 means "not Alert"; invasive SBP wins over the cuff at the same minute.
 * Bad rows are counted with their line number, never thrown past this boundary.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import type { Observation } from "../core/anomaly/patientState.js";

export interface Stay {
  readonly recordId: string;
  /** Years; NaN when missing. */
  readonly age: number;
  readonly sex: "female" | "male" | "unknown";
  readonly icuType: 1 | 2 | 3 | 4 | 0;
  readonly died: boolean;
  /** Days from ICU admission to death, NaN when no death recorded. */
  readonly survivalDays: number;
  /** Sorted by time (ms since ICU admission). */
  readonly observations: readonly Observation[];
  /** Non-invasive cuff measurements (NISysABP with its NIDiasABP/NIMAP of the same minute), for the cuff-sanity gate figures. */
  readonly cuff: readonly CuffSample[];
}

export interface CuffSample {
  readonly time: number;
  readonly systolic: number;
  readonly diastolic?: number;
  readonly mean?: number;
}

const CUFF_PART = { NISysABP: "systolic", NIDiasABP: "diastolic", NIMAP: "mean" } as const;

export interface LoadResult {
  readonly stays: Stay[];
  readonly files: { readonly static: string; readonly outcomes: string; readonly long: string };
  /** Rows skipped, each named by file and line. */
  readonly problems: string[];
}

export class DataFolderError extends Error {}

const MINUTE = 60_000;

async function findOne(dir: string, suffix: string): Promise<string> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    throw new DataFolderError(`${dir}: not a readable folder`);
  }
  const hits = names.filter((n) => n.endsWith(suffix)).sort();
  if (hits.length !== 1) throw new DataFolderError(`${dir}: expected exactly one *${suffix}, found ${hits.length}`);
  return path.join(dir, hits[0]!);
}

function csvRows(text: string, file: string, problems: string[], minCols: number): { line: number; cols: string[] }[] {
  const lines = text.split(/\r?\n/);
  const out: { line: number; cols: string[] }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === "") continue;
    const cols = l.split(",");
    if (cols.length < minCols) problems.push(`${path.basename(file)}:${i + 1}: ${cols.length} columns, expected ${minCols}`);
    else out.push({ line: i + 1, cols });
  }
  return out;
}

/** Parameter → observations it yields (empty when the parameter is not a model input). */
function mapParameter(p: string, v: number, time: number): Observation[] {
  switch (p) {
    case "HR":
      return [{ input: "heart_rate", value: v, time }];
    case "RespRate":
      return [{ input: "respiratory_rate", value: v, time }];
    case "NISysABP":
      return [{ input: "systolic_bp", value: v, time }];
    case "SysABP":
      return [{ input: "systolic_bp", value: v, time: time + 0.5 }]; // invasive wins a same-minute tie
    case "Temp":
      return [{ input: "body_temperature", value: v, time }];
    case "SaO2":
      return [{ input: "spo2", value: v, time }];
    case "FiO2": {
      const frac = v > 1 ? v / 100 : v; // a few charts record percent
      return Number.isFinite(frac) && frac > 0 ? [{ input: "on_oxygen", value: frac > 0.21 ? 1 : 0, time }] : [];
    }
    case "MechVent":
      return v === 1 ? [{ input: "on_oxygen", value: 1, time }] : [];
    case "GCS":
      return v >= 3 && v <= 15 ? [{ input: "not_alert", value: v < 15 ? 1 : 0, time }] : [];
    default:
      return [];
  }
}

/** Minutes with a cuff systolic, with whatever diastolic and mean were charted beside it; -1 (the set's "missing") is dropped. */
type CuffParts = Partial<Record<"systolic" | "diastolic" | "mean", number>>;

function cuffSamples(byMinute: Map<number, CuffParts> | undefined): CuffSample[] {
  const out: CuffSample[] = [];
  for (const [minute, p] of byMinute ?? []) {
    if (p.systolic === undefined) continue;
    const ok = (x: number | undefined): x is number => x !== undefined && x >= 0;
    out.push({ time: minute * MINUTE, systolic: p.systolic, ...(ok(p.diastolic) ? { diastolic: p.diastolic } : {}), ...(ok(p.mean) ? { mean: p.mean } : {}) });
  }
  return out.sort((a, b) => a.time - b.time);
}

export async function loadPhysionet2012(dir: string, only?: (recordId: string) => boolean): Promise<LoadResult> {
  const files = { static: await findOne(dir, "_static.csv"), outcomes: await findOne(dir, "_outcomes.csv"), long: await findOne(dir, "_long.csv.gz") };
  const problems: string[] = [];
  const outcomes = new Map<string, { died: boolean; survival: number }>();
  for (const { line, cols } of csvRows(await fs.readFile(files.outcomes, "utf8"), files.outcomes, problems, 6)) {
    const died = cols[5] === "1";
    const survival = Number(cols[4]);
    if (cols[5] !== "0" && cols[5] !== "1") problems.push(`${path.basename(files.outcomes)}:${line}: In-hospital_death is '${cols[5]}'`);
    else outcomes.set(cols[0]!, { died, survival: survival >= 0 ? survival : Number.NaN });
  }
  const obs = new Map<string, Observation[]>();
  const cuffParts = new Map<string, Map<number, CuffParts>>();
  let gz: Buffer;
  try {
    gz = gunzipSync(await fs.readFile(files.long));
  } catch (e) {
    throw new DataFolderError(`${files.long}: cannot gunzip (${(e as Error).message})`);
  }
  for (const { line, cols } of csvRows(gz.toString("utf8"), files.long, problems, 4)) {
    const id = cols[0]!;
    if (only && !only(id)) continue;
    const minute = Number(cols[1]);
    const value = Number(cols[3]);
    if (!Number.isFinite(minute) || cols[3] === "" || !Number.isFinite(value)) {
      problems.push(`${path.basename(files.long)}:${line}: non-numeric minute or value`);
      continue;
    }
    const part = CUFF_PART[cols[2] as keyof typeof CUFF_PART] as (typeof CUFF_PART)[keyof typeof CUFF_PART] | undefined;
    if (part) {
      let byMinute = cuffParts.get(id);
      if (!byMinute) cuffParts.set(id, (byMinute = new Map<number, CuffParts>()));
      byMinute.set(minute, { ...byMinute.get(minute), [part]: value });
    }
    const mapped = mapParameter(cols[2]!, value, minute * MINUTE);
    if (mapped.length) {
      let list = obs.get(id);
      if (!list) obs.set(id, (list = []));
      list.push(...mapped);
    }
  }
  const stays: Stay[] = [];
  for (const { line, cols } of csvRows(await fs.readFile(files.static, "utf8"), files.static, problems, 5)) {
    const recordId = cols[0]!;
    if (only && !only(recordId)) continue;
    const outcome = outcomes.get(recordId);
    if (!outcome) {
      problems.push(`${path.basename(files.static)}:${line}: RecordID has no outcome row`);
      continue;
    }
    const age = Number(cols[1]);
    const icu = Number(cols[4]);
    stays.push({
      recordId,
      age: age >= 0 ? age : Number.NaN,
      sex: cols[2] === "0" ? "female" : cols[2] === "1" ? "male" : "unknown",
      icuType: icu === 1 || icu === 2 || icu === 3 || icu === 4 ? icu : 0,
      died: outcome.died,
      survivalDays: outcome.survival,
      observations: (obs.get(recordId) ?? []).sort((a, b) => a.time - b.time),
      cuff: cuffSamples(cuffParts.get(recordId)),
    });
  }
  return { stays, files, problems };
}
