import { describe, expect, it } from "vitest";
import { qsofa } from "../../../src/core/rules/qsofa.js";

describe("qSOFA (Seymour 2016)", () => {
  it.each([
    [{ respiratoryRate: 22, systolicBp: 100, alteredMentation: true }, 3, true],
    [{ respiratoryRate: 21, systolicBp: 101, alteredMentation: false }, 0, false],
    [{ respiratoryRate: 21.5, systolicBp: 100.5, alteredMentation: false }, 1, false], // half-up: 22, 101
    [{ respiratoryRate: 22, systolicBp: 120, alteredMentation: true }, 2, true],
    [{ respiratoryRate: 30 }, 1, false],
  ])("%j → %i (positive %s)", (input, score, positive) => {
    const r = qsofa(input);
    expect(r.score).toBe(score);
    expect(r.positive).toBe(positive);
  });

  it("lists missing criteria; NaN is missing", () => {
    expect(qsofa({ respiratoryRate: Number.NaN, systolicBp: 90 })).toEqual({ score: 1, met: ["systolic_bp"], missing: ["respiratory_rate", "mentation"], positive: false });
  });
});
