import { describe, expect, it } from "vitest";
import { fairnessTable, type StayFacts } from "../../src/eval/fairness.js";
import { calibrate, DECILE_MIN_DEATHS, predictedRisk } from "../../src/eval/calibration.js";
import { formatFairness } from "../../src/eval/formatFairness.js";
import { renderFairness } from "../../src/eval/reportFairness.js";
import type { FairnessReport } from "../../src/eval/fairnessReport.js";

/** n stays of one kind: 2 patient-days each. */
const stays = (n: number, died: boolean, alerts: number, caught: boolean): StayFacts[] => Array.from({ length: n }, () => ({ died, days: 2, alerts, caught }));

// Group A: 10 deaths, all caught; group B: 10 deaths, 5 caught. Survivors in both groups: 10 stays,
// 2 alerts each over 2 days (1 false alert per survivor-day). B's deaths get 10 alerts each: alerts
// on patients who died are not false alerts and must not move the false-alert ratio.
const cohort: StayFacts[] = [
  ...stays(10, true, 3, true),
  ...stays(10, false, 2, true),
  ...stays(5, true, 10, true),
  ...stays(5, true, 0, false),
  ...stays(10, false, 2, true),
];
const group = cohort.map((_, i) => (i < 20 ? "A" : "B"));

describe("fairnessTable on a cohort where the answer is known", () => {
  const rows = fairnessTable({ sex: group, age: group.map(() => "all") }, { model: cohort });
  const a = rows.find((r) => r.attribute === "sex" && r.group === "A")!;
  const b = rows.find((r) => r.attribute === "sex" && r.group === "B")!;

  it("sensitivity ratio = group's share of deaths caught / the cohort's (1.0 / 0.75, 0.5 / 0.75)", () => {
    expect(a.detectors.model!.sensitivity).toBe(1);
    expect(a.detectors.model!.sensitivityRatio.value).toBeCloseTo(4 / 3, 12);
    expect(b.detectors.model!.sensitivityRatio.value).toBeCloseTo(2 / 3, 12);
  });

  it("false-alert ratio counts alerts on survivors per survivor-day only (1 in both groups)", () => {
    expect(a.detectors.model!.falseAlertsPerPatientDay).toBe(1);
    expect(b.detectors.model!.falseAlertsPerPatientDay).toBe(1);
    expect(b.detectors.model!.falseAlertRatio.value).toBe(1);
    // Every resample sees 1 false alert per survivor-day everywhere: the interval is exactly [1, 1].
    expect(b.detectors.model!.falseAlertRatio.ci95).toEqual([1, 1]);
  });

  it("names every ratio outside 0.8–1.25 and nothing inside it", () => {
    expect(a.outside).toEqual(["model sensitivity ratio 1.33"]);
    expect(b.outside).toEqual(["model sensitivity ratio 0.67"]);
    expect(rows.find((r) => r.attribute === "age")!.outside).toEqual([]);
  });

  it("bootstrap intervals bracket the estimate and are reproducible", () => {
    const ci = b.detectors.model!.sensitivityRatio.ci95;
    expect(ci[0]).toBeLessThan(2 / 3);
    expect(ci[1]).toBeGreaterThan(2 / 3);
    expect(fairnessTable({ sex: group, age: group }, { model: cohort })[1]!.detectors.model!.sensitivityRatio.ci95).toEqual(ci);
  });

  it("a detector catching every death has sensitivity ratio exactly 1, interval [1, 1]", () => {
    const all = cohort.map((s) => ({ ...s, caught: true }));
    const r = fairnessTable({ sex: group, age: group }, { x: all });
    for (const row of r) expect(row.detectors.x!.sensitivityRatio).toEqual({ value: 1, ci95: [1, 1] });
  });

  it("reports each detector separately and skips an 'unknown' group of under 10 stays", () => {
    const labels = group.map((g, i) => (i < 3 ? "unknown" : g));
    const r = fairnessTable({ sex: labels, age: group }, { one: cohort, two: cohort.map((s) => ({ ...s, alerts: s.alerts * 2 })) });
    expect(r.filter((x) => x.attribute === "sex").map((x) => x.group)).toEqual(["A", "B"]);
    expect(Object.keys(r[0]!.detectors)).toEqual(["one", "two"]);
    expect(r[0]!.detectors.two!.falseAlertsPerPatientDay).toBe(2);
  });
});

describe("calibration within a group", () => {
  it("a calibrated model: observed equals predicted in every quintile (30 deaths < 50)", () => {
    // 50 stays at risk 0.1 with 5 deaths, 50 at 0.5 with 25.
    const risk = [...Array<number>(50).fill(0.1), ...Array<number>(50).fill(0.5)];
    const died = [...Array.from({ length: 50 }, (_, i) => i % 10 === 0), ...Array.from({ length: 50 }, (_, i) => i % 2 === 0)];
    const c = calibrate(risk, died);
    expect(c.bins).toBe(5);
    expect(c.oeRatio).toBeCloseTo(1, 12);
    expect(c.table.map((b) => b.stays)).toEqual([20, 20, 20, 20, 20]);
    expect(c.table.map((b) => b.expected)).toEqual([2, 2, 6, 10, 10].map((x) => expect.closeTo(x, 9) as unknown as number));
    expect(c.table.map((b) => b.observed)).toEqual([2, 2, 6, 10, 10]);
  });

  it("a model that halves one group's risk shows O/E 2; deciles from 50 deaths", () => {
    const risk = Array<number>(200).fill(0.25);
    const died = Array.from({ length: 200 }, (_, i) => i % 2 === 0); // 100 deaths, 50 predicted
    const c = calibrate(risk, died);
    expect(DECILE_MIN_DEATHS).toBe(50);
    expect(c.bins).toBe(10);
    expect(c.table).toHaveLength(10);
    expect(c.oeRatio).toBeCloseTo(2, 12);
  });

  it("a stay's predicted risk is its mean score over hours with data; unavailable hours left out", () => {
    expect(predictedRisk(Float32Array.from([0, 0.2, Number.NaN, 0.4]), Uint8Array.from([0, 3, 3, 5]))).toBeCloseTo(0.3, 6);
    expect(predictedRisk(Float32Array.from([0, 0]), Uint8Array.from([0, 0]))).toBeNaN();
  });
});

describe("fairness output", () => {
  const rows = fairnessTable({ sex: group, age: group.map(() => "all") }, { advisory: cohort });
  const report: FairnessReport = {
    rows,
    calibration: [{ attribute: "sex", group: "A", ...calibrate([0.1, 0.1], [true, true]) }],
    outside: ["sex=A: advisory sensitivity ratio 1.33"],
    calibrationOutside: ["sex=A O/E 10.00"],
  };
  it("text and HTML name every ratio outside the band and every miscalibrated group", () => {
    for (const out of [formatFairness(report), renderFairness(report)]) {
      expect(out).toContain("sex=A: advisory sensitivity ratio 1.33");
      expect(out).toContain("sex=A O/E 10.00");
      expect(out).toContain("quintile");
    }
  });
});
