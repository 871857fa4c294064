import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { run } from "../../src/cli/eval.js";
import { runEval, type EvalRun } from "../../src/eval/run.js";
import { renderHtml } from "../../src/eval/report.js";
import { loadPhysionet2012, type Stay } from "../../src/eval/physionet.js";
import { replay } from "../../src/eval/replay.js";
import { loadTfjsAnomalyModel, type TfjsAnomalyModel } from "../../src/adapters/tfjs/tfjsAnomalyModel.js";
import { FakeAnomalyModel } from "../fakes/fakeAnomalyModel.js";

const MINI = "test/fixtures/physionet-2012-mini";
const tmp = mkdtempSync(path.join(tmpdir(), "vg-eval-"));
let model: TfjsAnomalyModel;
let result: EvalRun;

beforeAll(async () => {
  model = (await loadTfjsAnomalyModel("models/vitals-risk", { backend: "wasm" })).model;
  result = await runEval(MINI, model);
});
afterAll(() => {
  model.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

function capture(): { out: () => string; err: () => string; restore: () => void } {
  let out = "";
  let err = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((c) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, "write").mockImplementation((c) => ((err += String(c)), true));
  return { out: () => out, err: () => err, restore: () => (o.mockRestore(), e.mockRestore()) };
}

describe("eval on the mini fixture (40 held-out stays)", () => {
  it("reads every stay with its outcome and evaluates held-out stays only", () => {
    const r = result.report;
    expect(r.data).toMatchObject({ stays: 40, deaths: 12, heldOutOnly: true, hours: 48, patientDays: 80 });
    expect(result.problems).toEqual([]);
  });

  it("JSON report has the documented shape", () => {
    const r = JSON.parse(JSON.stringify(result.report)) as typeof result.report;
    expect(Object.keys(r).sort()).toEqual(["advisory", "auroc", "burden", "data", "fairness", "gates", "goals", "matched", "model", "operatingPoints", "roc", "subgroups"]);
    for (const k of ["news2", "gateway"] as const) expect(r.auroc[k]).toBeGreaterThan(0);
    expect(r.operatingPoints.map((p) => p.name)).toEqual(["NEWS2 ≥ 5", "NEWS2 ≥ 7", `gateway (risk ≥ ${model.metadata.threshold})`]);
    for (const p of r.operatingPoints) {
      for (const k of ["sensitivity", "specificity", "alertsPerPatientDay", "medianLeadHours", "timeInAlert"] as const) expect(typeof p[k]).toBe("number");
    }
    expect(r.model).toMatchObject({ name: "vitals-risk", version: model.metadata.version, trainingDataHash: model.metadata.trainingDataHash });
    expect(new Set(r.subgroups.map((g) => g.attribute))).toEqual(new Set(["sex", "age", "icu"]));
    for (const g of r.subgroups) {
      expect(g.gateway).toHaveProperty("alertRateRatio");
      expect(g.dataCompleteness).toBeGreaterThan(0);
      expect(g.dataCompleteness).toBeLessThanOrEqual(1);
    }
    // Fairness: sex and age only (ICU type is a clinical breakdown), both detectors, calibration per group.
    expect(new Set(r.fairness.rows.map((g) => g.attribute))).toEqual(new Set(["sex", "age"]));
    for (const g of r.fairness.rows) expect(Object.keys(g.detectors)).toEqual(["advisory", "NEWS2 ≥ 5"]);
    expect(r.fairness.calibration.map((c) => `${c.attribute}=${c.group}`)).toEqual(r.fairness.rows.map((g) => `${g.attribute}=${g.group}`));
    expect(r.goals).toHaveLength(4);
    expect(r.goals[3]!.goal).toMatch(/fairness ratio of the advisory/);
    // The advisory as deployed: the default budget's row of the model's table, and the burden beside the rules.
    expect(r.advisory).toMatchObject({ budget: 0.3, threshold: model.metadata.advisoryBudgets!.find((b) => b.budget === 0.3)!.threshold });
    expect(r.burden.totalPerPatientDay).toBeCloseTo(r.burden.rulesPerPatientDay + r.burden.advisoriesPerPatientDay, 12);
    expect(r.burden.deathsDetected.either).toBeGreaterThanOrEqual(r.burden.deathsDetected.rules);
    // Gates: the cuff gate is measured on the charted cuff readings; the pleth gate says why it cannot be.
    expect(r.gates.map((g) => [g.gate, g.measurable])).toEqual([["cuff_sanity", true], ["pleth_vs_ecg", false], ["device_status_flags", false]]);
    expect(r.roc.news2[0]).toEqual([0, 0]);
    expect(r.roc.gateway.at(-1)).toEqual([1, 1]);
  });

  it("NEWS2 figures are the model-independent rule baseline", async () => {
    const fake = await runEval(MINI, new FakeAnomalyModel());
    expect(fake.report.auroc.news2).toBe(result.report.auroc.news2);
    expect(fake.report.operatingPoints[0]).toEqual(result.report.operatingPoints[0]);
    // The fake's score is monotone in NEWS2, so its per-stay-max AUROC equals NEWS2's.
    expect(fake.report.auroc.gateway).toBeCloseTo(result.report.auroc.news2, 12);
  });

  it("gaps, missing vitals and artifacts give finite scores through the real model", () => {
    const H = 3_600_000;
    const stay = (recordId: string, observations: Stay["observations"]): Stay => ({ recordId, age: 70, sex: "female", icuType: 3, died: false, survivalDays: Number.NaN, observations, cuff: [] });
    const stays = [
      stay("empty", []),
      stay("garbage", [
        { input: "heart_rate", value: 0, time: H },
        { input: "body_temperature", value: -17.8, time: H },
        { input: "spo2", value: Number.NaN, time: 2 * H },
        { input: "systolic_bp", value: Number.POSITIVE_INFINITY, time: 3 * H },
      ]),
      stay("gappy", [
        { input: "heart_rate", value: 140, time: H },
        { input: "heart_rate", value: 150, time: 30 * H }, // 29 h gap
      ]),
    ];
    const r = replay(stays, { ticks: 48, stepMs: H, model });
    expect(r.unavailable.ticks).toBe(0);
    for (const s of r.series) expect([...s.score].every(Number.isFinite)).toBe(true);
  });

  it("a model that is unavailable on every tick leaves NEWS2 figures intact and says so", async () => {
    const down = await runEval(MINI, new FakeAnomalyModel(undefined, () => "down"));
    expect(down.report.model.unavailableTicks).toBe(48);
    expect(down.report.operatingPoints[2]!.alerts).toBe(0);
    expect(down.report.auroc.news2).toBe(result.report.auroc.news2);
  });

  it("HTML report: inline <svg> plots, no script, no http(s) link or CDN", () => {
    const html = renderHtml(result.report);
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(3);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?https?:/i);
    expect(html).toContain("Silva I");
    expect(html).toContain("Fairness per sex and age band");
    expect(html).toContain("not a fairness criterion");
  });
});

describe("vitals-gateway eval (CLI)", () => {
  it("--json prints the report and --report writes the HTML; exit 0", async () => {
    const io = capture();
    const report = path.join(tmp, "r.html");
    const code = await run(["--data", MINI, "--json", "--report", report]).finally(io.restore);
    expect(code).toBe(0);
    expect((JSON.parse(io.out()) as EvalRun["report"]).data.stays).toBe(40);
    expect(readFileSync(report, "utf8")).toContain("<svg");
  });

  it("text output names both detectors and the goals", async () => {
    const io = capture();
    const code = await run(["--data", MINI]).finally(io.restore);
    expect(code).toBe(0);
    expect(io.out()).toMatch(/AUROC .*NEWS2 0\.\d{3} +gateway 0\.\d{3}/);
    expect(io.out()).toMatch(/goals/);
    expect(io.out()).toMatch(/NEWS2 rule alarms \d+\.\d\d \+ model advisories \d+\.\d\d = \d+\.\d\d per patient-day/);
    expect(io.out()).toMatch(/work-ups per detected death/);
    expect(io.out()).toMatch(/pleth_vs_ecg +not measurable on this data/);
  });

  it("--budget picks another row of the model's table; a budget that is not a positive number is a usage error", async () => {
    let io = capture();
    expect(await run(["--data", MINI, "--json", "--budget", "2"]).finally(io.restore)).toBe(0);
    const r = JSON.parse(io.out()) as typeof result.report;
    expect(r.advisory.budget).toBe(2);
    expect(r.advisory.threshold).toBeLessThan(result.report.advisory.threshold);
    io = capture();
    expect(await run(["--data", MINI, "--budget", "0"]).finally(io.restore)).toBe(2);
    expect(io.err()).toMatch(/--budget must be a positive number/);
  });

  it("usage errors exit 2; a missing folder or model exits 1 with a clear message", async () => {
    let io = capture();
    expect(await run([]).finally(io.restore)).toBe(2);
    expect(io.err()).toMatch(/--data DIR is required/);
    io = capture();
    expect(await run(["--data", path.join(tmp, "nope")]).finally(io.restore)).toBe(1);
    expect(io.err()).toMatch(/nope: not a readable folder/);
    io = capture();
    expect(await run(["--data", MINI, "--model", path.join(tmp, "no-model")]).finally(io.restore)).toBe(1);
    expect(io.err()).toMatch(/no-model.*missing/);
  });
});

describe("PhysioNet loader: bad rows are counted with file and line, not thrown", () => {
  it("skips non-numeric values and outcome rows it cannot read", async () => {
    const dir = path.join(tmp, "bad");
    mkdirSync(dir);
    copyFileSync(path.join(MINI, "physionet2012_mini_static.csv"), path.join(dir, "x_static.csv"));
    writeFileSync(path.join(dir, "x_outcomes.csv"), "RecordID,SAPS-I,SOFA,Length_of_stay,Survival,In-hospital_death\n1,1,1,1,-1,maybe\n");
    writeFileSync(path.join(dir, "x_long.csv.gz"), gzipSync("RecordID,minute,parameter,value\n1,5,HR,abc\n1,6,HR\n1,7,HR,80\n"));
    const r = await loadPhysionet2012(dir);
    expect(r.problems).toContain("x_outcomes.csv:2: In-hospital_death is 'maybe'");
    expect(r.problems).toContain("x_long.csv.gz:2: non-numeric minute or value");
    expect(r.problems).toContain("x_long.csv.gz:3: 3 columns, expected 4");
    expect(r.stays).toEqual([]); // no stay has an outcome row
  });
});
