import { describe, expect, it } from "vitest";
import { alertFigures, auroc, episodes, rocCurve } from "../../src/eval/metrics.js";
import { pairedAurocCi } from "../../src/eval/bootstrap.js";
import { fnv1a32, isHeldOut, DEFAULT_SPLIT } from "../../src/eval/split.js";

describe("auroc", () => {
  it("hand-computed: 3 of 4 positive/negative pairs ordered correctly → 0.75", () => {
    // pairs (pos, neg): (0.35,0.1) ✓ (0.35,0.4) ✗ (0.8,0.1) ✓ (0.8,0.4) ✓
    expect(auroc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
  });

  it("hand-computed with a tie: (1 vs 1) counts ½ → (½ + 0 + 1 + 1) / 4 = 0.625", () => {
    expect(auroc([1, 1, 2, 3], [false, true, false, true])).toBe(0.625);
  });

  it("perfect, inverted, constant, and one-class cases", () => {
    expect(auroc([1, 2, 3, 4], [false, false, true, true])).toBe(1);
    expect(auroc([4, 3, 2, 1], [false, false, true, true])).toBe(0);
    expect(auroc([5, 5, 5, 5], [false, true, false, true])).toBe(0.5);
    expect(auroc([1, 2], [true, true])).toBeNaN();
  });

  it("equals the trapezoid area under rocCurve", () => {
    const s = [0.2, 0.9, 0.4, 0.4, 0.7, 0.1, 0.65, 0.3];
    const l = [false, true, true, false, false, false, true, true];
    const pts = rocCurve(s, l);
    let area = 0;
    for (let i = 1; i < pts.length; i++) area += ((pts[i]![0] - pts[i - 1]![0]) * (pts[i]![1] + pts[i - 1]![1])) / 2;
    expect(pts.at(-1)).toEqual([1, 1]);
    expect(area).toBeCloseTo(auroc(s, l), 12);
  });
});

describe("pairedAurocCi", () => {
  it("is reproducible, brackets the point estimates, and is degenerate for identical scores", () => {
    const l = Array.from({ length: 60 }, (_, i) => i % 4 === 0);
    const a = l.map((d, i) => (d ? 0.6 : 0.4) + Math.sin(i) * 0.3);
    const b = l.map((d, i) => (d ? 0.7 : 0.3) + Math.sin(i) * 0.3);
    const ci = pairedAurocCi(a, b, l);
    expect(pairedAurocCi(a, b, l)).toEqual(ci);
    expect(ci.a[0]).toBeLessThanOrEqual(auroc(a, l));
    expect(ci.a[1]).toBeGreaterThanOrEqual(auroc(a, l));
    expect(ci.diff[0]).toBeLessThanOrEqual(auroc(b, l) - auroc(a, l));
    expect(pairedAurocCi(a, a, l).diff).toEqual([0, 0]);
  });
});

describe("episodes and alert figures", () => {
  const policy = { threshold: 5, clearBelow: 5 };

  it("counts rising edges and re-announces a persisting condition every 4 ticks", () => {
    expect(episodes([0, 6, 6, 0, 7, 0], policy)).toEqual({ alerts: 2, first: 1, activeTicks: 3 });
    expect(episodes([6, 6, 6, 6, 6, 6, 6, 6, 6], policy)).toEqual({ alerts: 3, first: 0, activeTicks: 9 }); // t0, t4, t8
    expect(episodes([0, 0, 0], policy)).toEqual({ alerts: 0, first: -1, activeTicks: 0 });
  });

  it("sensitivity, specificity, alerts per patient-day, lead time", () => {
    const f = alertFigures(
      [
        { alerts: 2, first: 3, activeTicks: 2 },
        { alerts: 0, first: -1, activeTicks: 0 },
        { alerts: 1, first: 0, activeTicks: 1 },
        { alerts: 0, first: -1, activeTicks: 0 },
      ],
      [
        { died: true, deathHours: 100, days: 2 },
        { died: true, deathHours: 60, days: 2 },
        { died: false, deathHours: Number.NaN, days: 2 },
        { died: false, deathHours: Number.NaN, days: 2 },
      ],
      1,
    );
    expect(f.sensitivity).toBe(0.5);
    expect(f.specificity).toBe(0.5);
    expect(f.alertsPerPatientDay).toBe(3 / 8);
    expect(f.ppv).toBe(0.5);
    expect(f.medianLeadHours).toBe(96); // death at 100 h, first alert at the close of tick 3 = 4 h
    expect(f.medianFirstAlertHours).toBe(4);
    expect(f.timeInAlert).toBeCloseTo(3 / 192, 12);
  });
});

describe("held-out split", () => {
  it("fnv1a32 matches the reference vectors and the split is stable", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
    const ids = Array.from({ length: 4000 }, (_, i) => String(132539 + i));
    const share = ids.filter((id) => isHeldOut(id, DEFAULT_SPLIT)).length / ids.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
  });
});
