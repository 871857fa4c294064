import { describe, expect, it } from "vitest";
import { loadConfigText } from "../../src/config/load.js";
import type { GatewayConfig } from "../../src/config/types.js";
import { scaleTiming } from "../../src/replay/scaleTiming.js";

function defaults(): GatewayConfig {
  const loaded = loadConfigText("patients: [{ id: p1, label: Bed 1 }]\nalerting: { persistence: { linkGraceMs: 0 } }\n", "/tmp");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.config;
}

describe("scaleTiming", () => {
  it("divides every alerting wait and the model step by the speed, multiplies jump rates", () => {
    const base = defaults();
    const scaled = scaleTiming(base, 10);
    const p = base.alerting.persistence;
    expect(scaled.alerting.persistence.raiseMs.high).toBe(Math.round(p.raiseMs.high / 10));
    expect(scaled.alerting.persistence.clearMs).toBe(Math.round(p.clearMs / 10));
    expect(scaled.alerting.persistence.technicalRaiseMs).toBe(Math.round(p.technicalRaiseMs / 10));
    expect(scaled.alerting.rateLimit.physiologicalMs).toBe(Math.round(base.alerting.rateLimit.physiologicalMs / 10));
    expect(scaled.alerting.escalation.t1Ms).toBe(Math.round(base.alerting.escalation.t1Ms / 10));
    expect(scaled.alerting.pause.audioMaxMs).toBe(Math.round(base.alerting.pause.audioMaxMs / 10));
    const hr = base.alerting.quality["heart_rate"];
    const scaledHr = scaled.alerting.quality["heart_rate"];
    expect(scaledHr?.dropoutMs).toBe(Math.round((hr?.dropoutMs ?? NaN) / 10));
    expect(scaledHr?.maxAgeMs).toBe(Math.round((hr?.maxAgeMs ?? NaN) / 10));
    expect(scaledHr?.maxJump?.perMinute).toBe((hr?.maxJump?.perMinute ?? NaN) * 10);
    expect(scaledHr?.maxJump?.abs).toBe(hr?.maxJump?.abs); // a size, not a time
    expect(base.anomaly.stepMs).toBe(0); // 0 = the model's own hour…
    expect(scaled.anomaly.stepMs).toBe(360_000); // …which a 10x replay must meet every 6 minutes
    expect(scaleTiming({ ...base, anomaly: { ...base.anomaly, stepMs: 12_000 } }, 10).anomaly.stepMs).toBe(1200);
  });

  it("keeps 0 (immediate) and null (off), leaves non-clinical times and the input alone", () => {
    const base = defaults();
    const before = JSON.stringify(base);
    const scaled = scaleTiming(base, 300);
    expect(scaled.alerting.persistence.linkGraceMs).toBe(0);
    expect(scaled.alerting.quality["spo2"]?.flatlineMs).toBeNull();
    expect(scaled.storage).toEqual(base.storage);
    expect(scaled.anomaly.budgetMs).toBe(base.anomaly.budgetMs);
    expect(JSON.stringify(base)).toBe(before);
  });

  it("never turns a real wait into 0, refuses a speed that is not positive", () => {
    expect(scaleTiming(defaults(), 1e9).alerting.persistence.clearMs).toBe(1);
    expect(() => scaleTiming(defaults(), 0)).toThrow(/speed/);
    expect(() => scaleTiming(defaults(), Number.NaN)).toThrow(/speed/);
  });
});
