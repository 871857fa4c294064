import { describe, expect, it } from "vitest";
import { DEFAULT_ALERTING_CONFIG } from "../../../src/core/alerting/config.js";
import { gateReading, isDroppedOut, isFlatlined, usableValue, type VitalTrack } from "../../../src/core/rules/quality.js";

const q = DEFAULT_ALERTING_CONFIG.quality.heart_rate;
const gate = (track: VitalTrack, value: number | undefined, time: number, now = time) => gateReading(track, { value, time, deviceTime: true, now }, q, undefined, 3);
const gateByReceipt = (track: VitalTrack, value: number, time: number) => gateReading(track, { value, time, now: time }, q, undefined, 3);

describe("gateReading", () => {
  it.each([
    [Number.NaN, "not_finite"],
    [Number.POSITIVE_INFINITY, "not_finite"],
    [Number.NEGATIVE_INFINITY, "not_finite"],
    [0, "zero"],
    [-72, "out_of_range"],
    [11.5, "out_of_range"], // MIMIC-II s00001 minute 1389
    [19.9, "out_of_range"],
    [250.1, "out_of_range"],
    [1e9, "out_of_range"],
    [undefined, "unit"],
  ])("%s is an artifact (%s)", (value, reason) => {
    const r = gate({}, value, 1000);
    expect(r).toMatchObject({ verdict: "artifact", reason });
    expect(r.track.artifactSince).toBe(1000);
  });

  it("a reading the driver flagged is an artifact whatever its value", () => {
    expect(gateReading({}, { value: 72, time: 1, now: 1, flagged: true }, q, undefined, 3)).toMatchObject({ verdict: "artifact", reason: "flagged" });
  });

  it("accepts the range edges 20 and 250", () => {
    expect(gate({}, 20, 1).verdict).toBe("valid");
    expect(gate({}, 250, 1).verdict).toBe("valid");
  });

  it("drops duplicates and out-of-order readings without changing state", () => {
    const t = gate({}, 70, 5000).track;
    expect(gate(t, 71, 5000)).toEqual({ verdict: "dropped", reason: "duplicate", track: t });
    expect(gate(t, 71, 4000)).toEqual({ verdict: "dropped", reason: "out_of_order", track: t });
    expect(gate(t, 71, Number.NaN)).toEqual({ verdict: "dropped", reason: "out_of_order", track: t });
    expect(gate(t, 71, 6000).verdict).toBe("valid");
  });

  it("with receipt times, frames arriving in the same millisecond or after a clock step back all count", () => {
    // Two MQTT frames handled in one millisecond are two frames; NTP stepping the wall clock back
    // must not drop a patient's readings until it catches up.
    let t = gateByReceipt({}, 140, 5000).track;
    const verdicts = [5000, 5000, 4000].map((time) => {
      const r = gateByReceipt(t, 80, time);
      t = r.track;
      return r.verdict;
    });
    // A jump from 140 is believed once 3 readings agree: none of the three was dropped.
    expect(verdicts).toEqual(["artifact", "artifact", "valid"]);
    expect(t).toMatchObject({ value: 80, lastTime: 5000 });
  });

  it("an artifact clears on the next valid reading and keeps the last valid value meanwhile", () => {
    let t = gate({}, 70, 1000).track;
    t = gate(t, 0, 2000).track;
    expect(t).toMatchObject({ value: 70, artifactSince: 2000, artifactReason: "zero" });
    expect(usableValue(t, q, 2000)).toBeUndefined();
    t = gate(t, 72, 3000).track;
    expect(t.artifactSince).toBeUndefined();
    expect(usableValue(t, q, 3000)).toBe(72);
  });

  it("an impossible jump is an artifact until confirmed by 3 consistent readings", () => {
    let t = gate({}, 70, 0).track;
    const a = gate(t, 140, 1000); // 70 → 140 in 1 s; allowed 40 + 30/min
    expect(a).toMatchObject({ verdict: "artifact", reason: "jump" });
    t = a.track;
    const b = gate(t, 141, 2000);
    expect(b.verdict).toBe("artifact");
    const c = gate(b.track, 139, 3000);
    expect(c.verdict).toBe("valid");
    expect(c.track.value).toBe(139);
    // A single spike followed by a return is never believed.
    const spike = gate(gate(gate({}, 70, 0).track, 150, 1000).track, 71, 2000);
    expect(spike).toMatchObject({ verdict: "valid", track: { value: 71 } });
  });

  it("allows larger changes after longer gaps (abs + perMinute × minutes)", () => {
    const t = gate({}, 70, 0).track;
    // After 1 min the allowed change is 40 + 30 × 1 = 70.
    expect(gate(t, 140, 60_000).verdict).toBe("valid");
    expect(gate(t, 140.5, 60_000).verdict).toBe("artifact");
    expect(gate(t, 110, 1).verdict).toBe("valid"); // 40 allowed at once
    expect(gate(t, 110.5, 1).verdict).toBe("artifact");
  });

  it("staleness, flat-line and dropout follow the configured times", () => {
    let t: VitalTrack = {};
    for (let s = 0; s <= 15 * 60; s += 60) t = gate(t, 72, s * 1000).track;
    expect(isFlatlined(t, q, 15 * 60_000)).toBe(true);
    expect(usableValue(t, q, 15 * 60_000)).toBeUndefined();
    const fresh = gate({}, 72, 0).track;
    expect(usableValue(fresh, q, q.maxAgeMs)).toBe(72);
    expect(usableValue(fresh, q, q.maxAgeMs + 1)).toBeUndefined();
    expect(isDroppedOut(fresh, q, 119_999)).toBe(false);
    expect(isDroppedOut(fresh, q, 120_000)).toBe(true);
  });
});
