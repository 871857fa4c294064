import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { advisoryAlert, advisoryStep, applyModelTick, modelUnavailableCondition, MODEL_UNAVAILABLE_CAUSE, technicalAlert, type TickScores } from "../../src/core/anomaly/advisory.js";
import type { Alert } from "../../src/core/model.js";

const policy = { threshold: 0.5, clearBelow: 0.4 };

function ruleAlert(patientId: string, over: Partial<Alert> = {}): Alert {
  return {
    id: `id-${patientId}`,
    patientId,
    kind: "physiological",
    priority: "high",
    cause: "news2:high",
    message: "NEWS2 7",
    state: "active",
    ruleSetVersion: "r1",
    inputs: [],
    raisedAt: 1,
    raisedAtMonotonic: 1,
    ...over,
  };
}

const ok = (entries: [string, number][]): TickScores => ({ status: "ok", version: "1.0.0", scores: new Map(entries) });

describe("advisoryStep (hysteresis)", () => {
  it("raises on the rising edge only, holds between clearBelow and threshold, clears below", () => {
    const seq = [0.3, 0.55, 0.6, 0.45, 0.41, 0.39, 0.52];
    let active = false;
    const raised: boolean[] = [];
    for (const s of seq) {
      const r = advisoryStep(active, s, policy);
      raised.push(r.raise);
      active = r.active;
    }
    expect(raised).toEqual([false, true, false, false, false, false, true]);
  });

  it("a NaN score keeps the state and never raises", () => {
    expect(advisoryStep(true, Number.NaN, policy)).toEqual({ active: true, raise: false });
    expect(advisoryStep(false, Number.NaN, policy)).toEqual({ active: false, raise: false });
  });
});

describe("applyModelTick", () => {
  it("attaches each patient's own score and version to that patient's rule alerts", () => {
    const r = applyModelTick([ruleAlert("a"), ruleAlert("b")], ok([["a", 0.2], ["b", 0.7]]), new Set(), policy);
    expect(r.alerts.map((a) => [a.patientId, a.modelScore, a.modelVersion, a.modelStatus])).toEqual([
      ["a", expect.closeTo(0.2, 6), "1.0.0", "ok"],
      ["b", expect.closeTo(0.7, 6), "1.0.0", "ok"],
    ]);
    expect(r.raise.map((c) => c.patientId)).toEqual(["b"]);
    expect(r.raise[0]).toMatchObject({ kind: "advisory", cause: "model:deterioration_risk", modelStatus: "ok" });
    expect([...r.active]).toEqual(["b"]);
  });

  it("model unavailable: every alert still passes, marked unavailable, stale score removed; advisories unchanged", () => {
    const stale = ruleAlert("a", { modelScore: 0.9, modelVersion: "0.9.0", modelStatus: "ok" });
    const r = applyModelTick([stale], { status: "unavailable", reason: "over time budget" }, new Set(["a"]), policy);
    expect(r.alerts).toHaveLength(1);
    expect(r.alerts[0]!.modelStatus).toBe("unavailable");
    expect(r.alerts[0]).not.toHaveProperty("modelScore");
    expect(r.alerts[0]).not.toHaveProperty("modelVersion");
    expect(r.raise).toEqual([]);
    expect([...r.active]).toEqual(["a"]);
  });

  it("a patient without a score this tick gets modelStatus unavailable", () => {
    const r = applyModelTick([ruleAlert("x")], ok([["a", 0.1]]), new Set(), policy);
    expect(r.alerts[0]!.modelStatus).toBe("unavailable");
  });

  it("reports cleared advisories", () => {
    const r = applyModelTick([], ok([["a", 0.1]]), new Set(["a"]), policy);
    expect(r.clear).toEqual(["a"]);
    expect(r.active.size).toBe(0);
  });

  it("property: never suppresses, reorders or alters a rule alert beyond the model fields", () => {
    const alertArb = fc.record({ patientId: fc.constantFrom("a", "b", "c"), priority: fc.constantFrom("high", "medium", "low" as const), cause: fc.string() });
    const scoresArb = fc.oneof(
      fc.record({ status: fc.constant("ok" as const), version: fc.constant("v"), scores: fc.array(fc.tuple(fc.constantFrom("a", "b", "c"), fc.double({ min: -1, max: 2 }))).map((e) => new Map(e)) }),
      fc.record({ status: fc.constant("unavailable" as const), reason: fc.string() }),
    );
    fc.assert(
      fc.property(fc.array(alertArb, { maxLength: 8 }), scoresArb, (specs, scores) => {
        const alerts = specs.map((s, i) => ruleAlert(s.patientId, { ...s, id: `id${i}` }));
        const r = applyModelTick(alerts, scores, new Set(), policy);
        if (r.alerts.length !== alerts.length) return false;
        return r.alerts.every((a, i) => {
          const strip = (x: Alert): Partial<Alert> => {
            const c: { -readonly [K in keyof Alert]?: Alert[K] } = { ...x };
            delete c.modelScore;
            delete c.modelVersion;
            delete c.modelStatus;
            return c;
          };
          return JSON.stringify(strip(a)) === JSON.stringify(strip(alerts[i]!)) && (a.modelStatus === "ok" || a.modelStatus === "unavailable");
        });
      }),
    );
  });
});

describe("modelUnavailableCondition", () => {
  it("is a technical condition that names the reason and says rules carry on", () => {
    const c = modelUnavailableCondition("models/vitals-risk/weights.bin: missing");
    expect(c).toMatchObject({ kind: "technical", cause: MODEL_UNAVAILABLE_CAUSE });
    expect(c.message).toContain("weights.bin: missing");
    expect(c.message).toContain("NEWS2 rules alone");
  });
});

describe("advisoryAlert / technicalAlert", () => {
  const stamp = { id: "0190-uuid", ruleSetVersion: "r1", raisedAt: 10, raisedAtMonotonic: 5 };
  it("turn conditions into active alerts with the caller's id and clocks", () => {
    const r = applyModelTick([], ok([["p1", 0.9]]), new Set(), policy);
    const a = advisoryAlert(r.raise[0]!, stamp);
    expect(a).toMatchObject({ id: "0190-uuid", patientId: "p1", kind: "advisory", state: "active", modelStatus: "ok", inputs: [], raisedAt: 10 });
    const t = technicalAlert(modelUnavailableCondition("x"), stamp);
    expect(t).toMatchObject({ patientId: "*", kind: "technical", cause: MODEL_UNAVAILABLE_CAUSE, modelStatus: "unavailable", state: "active" });
  });
});
