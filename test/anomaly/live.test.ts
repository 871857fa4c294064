import { describe, expect, it } from "vitest";
import { observationOf, observeContext, observeReading, tickAll, tickScores, type AnomalyStates } from "../../src/core/anomaly/live.js";
import { applyModelTick } from "../../src/core/anomaly/advisory.js";
import { FakeAnomalyModel } from "../fakes/fakeAnomalyModel.js";
import { MODEL_CHANNELS } from "../../src/core/anomaly/channels.js";
import type { Reading, Vital } from "../../src/core/model.js";

const H = 3_600_000;
const reading = (patientId: string, vital: Vital, value: number, unit: string, time: number, quality: Reading["quality"] = ["device_time"]): Reading => ({
  patientId,
  deviceId: "d1",
  vital,
  value,
  unit,
  time,
  receivedAt: time,
  quality,
});

describe("live anomaly hook", () => {
  it("converts units and ignores vitals the model does not use or readings flagged as artifacts", () => {
    expect(observationOf(reading("p", "body_temperature", 98.6, "[degF]", 1))?.value).toBeCloseTo(37, 6);
    expect(observationOf(reading("p", "systolic_bp", 16, "kPa", 1))?.value).toBeCloseTo(120.01, 2);
    expect(observationOf(reading("p", "pulse_rate", 70, "/min", 1))?.input).toBe("heart_rate");
    expect(observationOf(reading("p", "steps", 70, "{steps}", 1))).toBeUndefined();
    expect(observationOf(reading("p", "heart_rate", 300, "/min", 1, ["out_of_range"]))).toBeUndefined();
  });

  it("one tick: a batch for patients with fresh data only, scores mapped back, advisory raised for the sick one", () => {
    let st: AnomalyStates = new Map();
    for (const [v, calm, sick, unit] of [
      ["heart_rate", 72, 135, "/min"],
      ["respiratory_rate", 14, 30, "/min"],
      ["systolic_bp", 125, 85, "mm[Hg]"],
      ["spo2", 97, 88, "%"],
    ] as const) {
      st = observeReading(st, reading("calm", v, calm, unit, H - 10));
      st = observeReading(st, reading("sick", v, sick, unit, H - 10));
    }
    st = observeContext(st, "sick", "on_oxygen", true, H - 10);
    st = observeReading(st, reading("stale", "heart_rate", 80, "/min", -10 * H));
    const batch = tickAll(st, H, () => false);
    expect(batch.patientIds).toEqual(["calm", "sick"]);
    expect(batch.states.get("stale")!.steps[0]!.values[MODEL_CHANNELS.indexOf("heart_rate")]).toBeNaN();
    const scores = tickScores(batch.patientIds, new FakeAnomalyModel().scoreBatch(batch.windows));
    const r = applyModelTick([], scores, new Set(), { threshold: 0.5, clearBelow: 0.4 });
    expect(r.raise.map((c) => c.patientId)).toEqual(["sick"]);
  });

  it("an unavailable result passes through unchanged", () => {
    expect(tickScores(["a"], { status: "unavailable", reason: "x" })).toEqual({ status: "unavailable", reason: "x" });
  });
});
