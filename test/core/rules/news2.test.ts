import { describe, expect, it } from "vitest";
import { news2, type News2Input } from "../../../src/core/rules/news2.js";

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
