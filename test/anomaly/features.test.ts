import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { FEATURE_COUNT, featuresOf, news2OfSnapshot, NEWS2_TOTAL_INDEX } from "../../src/core/anomaly/features.js";
import { MODEL_CHANNELS } from "../../src/core/anomaly/channels.js";
import { newPatientState, observe, tick, type Observation, type PatientState } from "../../src/core/anomaly/patientState.js";

const H = 3_600_000;
const hr = MODEL_CHANNELS.indexOf("heart_rate");

function feed(obs: Observation[], ticks: number[], frozen = false): PatientState {
  let s = newPatientState();
  const sorted = [...obs].sort((a, b) => a.time - b.time);
  let i = 0;
  for (const t of ticks) {
    while (i < sorted.length && sorted[i]!.time <= t) s = observe(s, sorted[i++]!);
    s = tick(s, t, frozen);
  }
  return s;
}

describe("anomaly features: bad input never yields NaN", () => {
  it("an empty window is all zeros, not NaN", () => {
    const f = featuresOf(tick(newPatientState(), H, false));
    expect(f).toHaveLength(FEATURE_COUNT);
    expect([...f].every((x) => x === 0)).toBe(true);
  });

  it("drops and counts artifacts (NaN, HR 0, negative temperature, SpO2 > 100)", () => {
    const s = feed(
      [
        { input: "heart_rate", value: Number.NaN, time: 1 },
        { input: "heart_rate", value: 0, time: 2 },
        { input: "body_temperature", value: -17.8, time: 3 },
        { input: "spo2", value: 136, time: 4 },
        { input: "not_alert", value: 0.5, time: 5 },
      ],
      [H],
    );
    expect(s.artifacts).toBe(5);
    expect(s.steps[0]!.values.every(Number.isNaN)).toBe(true);
    expect([...featuresOf(s)].every(Number.isFinite)).toBe(true);
  });

  it("carries a value forward only up to the channel's max age (gap → missing)", () => {
    const s = feed([{ input: "heart_rate", value: 90, time: 0 }], [H, 4 * H, 5 * H]);
    expect(s.steps[2]!.values[hr]).toBe(90); // 1 h old
    expect(s.steps[1]!.values[hr]).toBe(90); // 4 h old: still fresh
    expect(s.steps[0]!.values[hr]).toBeNaN(); // 5 h old: stale
  });

  it("property: any sequence of readings, including garbage, gives finite features", () => {
    const input = fc.constantFrom(...MODEL_CHANNELS, "on_oxygen" as const, "not_alert" as const);
    const value = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 1, 300));
    fc.assert(
      fc.property(fc.array(fc.record({ input, value, time: fc.integer({ min: 0, max: 20 * H }) }), { maxLength: 60 }), (obs) => {
        const s = feed(obs, [2, 5, 8, 11, 14, 17, 20].map((h) => h * H));
        return [...featuresOf(s)].every(Number.isFinite);
      }),
      { numRuns: 200 },
    );
  });
});

describe("anomaly features: content", () => {
  it("NEWS2 of the newest snapshot enters the vector (Scale 1, unknown consciousness stays missing)", () => {
    const s = feed(
      [
        { input: "respiratory_rate", value: 22, time: 10 },
        { input: "spo2", value: 95, time: 10 },
        { input: "systolic_bp", value: 105, time: 10 },
        { input: "heart_rate", value: 95, time: 10 },
        { input: "body_temperature", value: 38.5, time: 10 },
        { input: "on_oxygen", value: 0, time: 10 },
      ],
      [H],
    );
    const n = news2OfSnapshot(s.steps[0]);
    expect(n.total).toBe(6); // research §2.1 vector 2 without consciousness
    expect(n.missing).toEqual(["consciousness"]);
    expect(featuresOf(s)[NEWS2_TOTAL_INDEX]).toBeCloseTo(6 / 20, 6);
  });

  it("is deterministic and keeps only the last WINDOW_STEPS snapshots", () => {
    const obs = [1, 2, 3, 4, 5, 6, 7, 8].map((h) => ({ input: "heart_rate" as const, value: 60 + h * 5, time: h * H - 1 }));
    const a = feed(obs, [1, 2, 3, 4, 5, 6, 7, 8].map((h) => h * H));
    const b = feed(obs, [1, 2, 3, 4, 5, 6, 7, 8].map((h) => h * H));
    expect(featuresOf(a)).toEqual(featuresOf(b));
    expect(a.steps).toHaveLength(6);
    expect(a.steps[0]!.values[hr]).toBe(100);
    expect(a.steps[5]!.values[hr]).toBe(75);
  });
});
