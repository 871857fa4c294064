import { describe, expect, it } from "vitest";
import {
  news2,
  scoreConsciousness,
  scorePulse,
  scoreRespiratoryRate,
  scoreSpo2Scale1,
  scoreSpo2Scale2,
  scoreSystolicBp,
  scoreTemperature,
  type News2Input,
} from "../../../src/core/rules/news2.js";

// research/anomaly-detection.md §2.1, hand-computed from the RCP 2017 chart.
const table: [News2Input, number[], number, string][] = [
  [{ respiratoryRate: 16, spo2: 97, spo2Scale: 1, onOxygen: false, systolicBp: 120, pulse: 72, acvpu: "A", temperatureC: 37.0 }, [0, 0, 0, 0, 0, 0, 0], 0, "low"],
  [{ respiratoryRate: 22, spo2: 95, spo2Scale: 1, onOxygen: false, systolicBp: 105, pulse: 95, acvpu: "A", temperatureC: 38.5 }, [2, 1, 0, 1, 1, 0, 1], 6, "medium"],
  [{ respiratoryRate: 26, spo2: 97, spo2Scale: 1, onOxygen: false, systolicBp: 120, pulse: 80, acvpu: "A", temperatureC: 37.0 }, [3, 0, 0, 0, 0, 0, 0], 3, "low_medium"],
  [{ respiratoryRate: 12, spo2: 89, spo2Scale: 2, onOxygen: false, systolicBp: 115, pulse: 88, acvpu: "A", temperatureC: 36.5 }, [0, 0, 0, 0, 0, 0, 0], 0, "low"],
  [{ respiratoryRate: 18, spo2: 95, spo2Scale: 2, onOxygen: true, systolicBp: 112, pulse: 92, acvpu: "A", temperatureC: 37.2 }, [0, 2, 2, 0, 1, 0, 0], 5, "medium"],
  [{ respiratoryRate: 8, spo2: 91, spo2Scale: 1, onOxygen: true, systolicBp: 90, pulse: 131, acvpu: "C", temperatureC: 35.0 }, [3, 3, 2, 3, 3, 3, 3], 20, "high"],
  [{ respiratoryRate: 9, spo2: 96, spo2Scale: 1, onOxygen: false, systolicBp: 220, pulse: 40, acvpu: "A", temperatureC: 39.1 }, [1, 0, 0, 3, 3, 0, 2], 9, "high"],
  [{ respiratoryRate: 20, spo2: 94, spo2Scale: 1, onOxygen: false, systolicBp: 111, pulse: 41, acvpu: "A", temperatureC: 36.1 }, [0, 1, 0, 0, 1, 0, 0], 2, "low"],
];

describe("news2 (RCP 2017 test vectors)", () => {
  it.each(table)("%j → %j = %i (%s)", (input, subs, total, band) => {
    const r = news2(input);
    expect(Object.values(r.subscores)).toEqual(subs);
    expect(r.total).toBe(total);
    expect(r.band).toBe(band);
    expect(r.missing).toEqual([]);
  });

  it("lists missing parameters and never assumes Alert", () => {
    const r = news2({ spo2Scale: 1, pulse: 72 });
    expect(r.subscores).toEqual({ pulse: 0 });
    expect(r.missing).toContain("consciousness");
    expect(r.missing).toHaveLength(6);
  });

  it("rounds temperature half-up to 0.1 °C", () => {
    expect(news2({ spo2Scale: 1, temperatureC: 38.05 }).subscores.temperature).toBe(1);
    expect(news2({ spo2Scale: 1, temperatureC: 38.04 }).subscores.temperature).toBe(0);
    expect(news2({ spo2Scale: 1, temperatureC: 35.04 }).subscores.temperature).toBe(3);
  });
});

// Every band edge of the RCP 2017 chart, both sides (research/anomaly-detection.md §2.1 table).
describe("news2 band edges", () => {
  const edges = {
    respiratory_rate: [[8, 3], [9, 1], [11, 1], [12, 0], [20, 0], [21, 2], [24, 2], [25, 3]],
    spo2_scale1: [[91, 3], [92, 2], [93, 2], [94, 1], [95, 1], [96, 0], [100, 0]],
    systolic_bp: [[90, 3], [91, 2], [100, 2], [101, 1], [110, 1], [111, 0], [219, 0], [220, 3]],
    pulse: [[40, 3], [41, 1], [50, 1], [51, 0], [90, 0], [91, 1], [110, 1], [111, 2], [130, 2], [131, 3]],
    temperature: [[35.0, 3], [35.1, 1], [36.0, 1], [36.1, 0], [38.0, 0], [38.1, 1], [39.0, 1], [39.1, 2]],
  } as const;
  const score = {
    respiratory_rate: scoreRespiratoryRate,
    spo2_scale1: scoreSpo2Scale1,
    systolic_bp: scoreSystolicBp,
    pulse: scorePulse,
    temperature: scoreTemperature,
  };
  for (const [name, cases] of Object.entries(edges)) {
    it.each(cases.map(([v, s]) => [v, s]))(`${name} %s → %i`, (v, s) => {
      expect(score[name as keyof typeof score](v)).toBe(s);
    });
  }

  it.each([
    [83, false, 3], [84, false, 2], [85, false, 2], [86, false, 1], [87, false, 1], [88, false, 0], [92, false, 0],
    [93, false, 0], [97, false, 0], [100, false, 0], // ≥ 93 on air scores 0
    [88, true, 0], [92, true, 0], [93, true, 1], [94, true, 1], [95, true, 2], [96, true, 2], [97, true, 3], [100, true, 3],
  ])("SpO2 Scale 2: %i on oxygen=%s → %i", (spo2, o2, s) => {
    expect(scoreSpo2Scale2(spo2, o2)).toBe(s);
  });

  it("air or oxygen: oxygen adds 2 on either scale; ACVPU: only A scores 0", () => {
    expect(news2({ spo2Scale: 1, onOxygen: true }).subscores.air_or_oxygen).toBe(2);
    expect(news2({ spo2Scale: 2, onOxygen: false }).subscores.air_or_oxygen).toBe(0);
    expect((["A", "C", "V", "P", "U"] as const).map(scoreConsciousness)).toEqual([0, 3, 3, 3, 3]);
  });

  it("rounds integers half-up before banding (RR 8.5 → 9, pulse 90.5 → 91, SBP 219.5 → 220)", () => {
    expect(scoreRespiratoryRate(8.49)).toBe(3);
    expect(scoreRespiratoryRate(8.5)).toBe(1);
    expect(scorePulse(90.49)).toBe(0);
    expect(scorePulse(90.5)).toBe(1);
    expect(scoreSystolicBp(219.5)).toBe(3);
    expect(scoreTemperature(36.05)).toBe(0); // → 36.1
    expect(scoreTemperature(36.04)).toBe(1); // → 36.0
    expect(scoreTemperature(39.05)).toBe(2); // → 39.1
  });

  it("NaN and infinities are missing, never scored", () => {
    const r = news2({ spo2Scale: 1, respiratoryRate: Number.NaN, pulse: Number.POSITIVE_INFINITY, temperatureC: Number.NEGATIVE_INFINITY });
    expect(r.subscores).toEqual({});
    expect(r.missing).toEqual(["respiratory_rate", "spo2", "air_or_oxygen", "systolic_bp", "pulse", "consciousness", "temperature"]);
    expect(r.total).toBe(0);
  });

  it("bands: 0–4 low, a single 3 low_medium, 5–6 medium, ≥ 7 high", () => {
    expect(news2({ spo2Scale: 1, respiratoryRate: 22, pulse: 95, temperatureC: 38.5 }).band).toBe("low"); // 4
    expect(news2({ spo2Scale: 1, respiratoryRate: 22, pulse: 95, temperatureC: 38.5, systolicBp: 105 }).band).toBe("medium"); // 5
    expect(news2({ spo2Scale: 1, respiratoryRate: 25 }).band).toBe("low_medium");
    expect(news2({ spo2Scale: 1, respiratoryRate: 25, pulse: 111, systolicBp: 105 }).band).toBe("medium"); // 3+2+1
    expect(news2({ spo2Scale: 1, respiratoryRate: 25, pulse: 111, systolicBp: 100 }).band).toBe("high"); // 3+2+2
  });
});
