import { describe, expect, it } from "vitest";
import { BASELINE_WARMUP, deviation, emptyBaseline, updateBaseline } from "../../src/core/anomaly/baseline.js";
import { newPatientState, observe, tick } from "../../src/core/anomaly/patientState.js";
import { MODEL_CHANNELS } from "../../src/core/anomaly/channels.js";

const H = 3_600_000;
const hr = MODEL_CHANNELS.indexOf("heart_rate");

describe("personal baseline", () => {
  it("warm-up median and MAD are robust to one artifact-like outlier", () => {
    let b = emptyBaseline("heart_rate");
    for (const v of [70, 72, 71, 180, 69, 70]) b = updateBaseline("heart_rate", b, v, false);
    expect(b.n).toBe(BASELINE_WARMUP);
    expect(b.median).toBe(70.5);
    expect(b.scale).toBe(5); // MAD 1 × 1.4826 → floored at the channel's minimum scale
  });

  it("moves slowly after warm-up: 10 readings 40 bpm higher shift it by under 10 bpm", () => {
    let b = emptyBaseline("heart_rate");
    for (let i = 0; i < BASELINE_WARMUP; i++) b = updateBaseline("heart_rate", b, 70, false);
    for (let i = 0; i < 10; i++) b = updateBaseline("heart_rate", b, 110, false);
    expect(b.median).toBeGreaterThan(70);
    expect(b.median).toBeLessThan(80);
    expect(deviation(b, 110)).toBeGreaterThan(4);
  });

  it("is frozen while the patient is in alarm, and ignores non-finite values", () => {
    let b = emptyBaseline("spo2");
    for (let i = 0; i < BASELINE_WARMUP; i++) b = updateBaseline("spo2", b, 97, false);
    expect(updateBaseline("spo2", b, 85, true)).toBe(b);
    expect(updateBaseline("spo2", b, Number.NaN, false)).toBe(b);
  });

  it("tick updates the baseline only from new readings, not carried-forward values", () => {
    let s = observe(newPatientState(), { input: "heart_rate", value: 88, time: 0 });
    for (let h = 1; h <= 3; h++) s = tick(s, h * H, false);
    expect(s.baselines.heart_rate.n).toBe(1);
    expect(s.steps[0]!.values[hr]).toBe(88);
  });

  it("tick scores a deterioration against the baseline as it stood before, frozen during alarm", () => {
    let s = newPatientState();
    for (let h = 1; h <= 8; h++) {
      s = observe(s, { input: "heart_rate", value: 70, time: h * H - 1 });
      s = tick(s, h * H, false);
    }
    const before = s.baselines.heart_rate;
    s = observe(s, { input: "heart_rate", value: 140, time: 9 * H - 1 });
    s = tick(s, 9 * H, true);
    expect(s.baselines.heart_rate).toBe(before);
    expect(s.steps[0]!.deviations[hr]).toBe(6); // clipped at 6 scales
  });
});
