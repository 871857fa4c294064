import { describe, expect, it } from "vitest";
import { ageText, clinicalText, durationText, formatValue, isArtifact, isStale, unitLabel, vitalLabel } from "../../src/console/format.js";
import { alarmPattern } from "../../src/console/sound.js";
import { reading } from "./fixtures.js";

describe("format", () => {
  it("says units and vitals as clinicians do, not as UCUM codes", () => {
    expect(unitLabel("mm[Hg]")).toBe("mmHg");
    expect(unitLabel("Cel")).toBe("°C");
    expect(formatValue({ vital: "body_temperature", value: 37.25, unit: "Cel" })).toBe("37.3 °C");
    expect(formatValue({ vital: "systolic_bp", value: 121.4, unit: "mm[Hg]" })).toBe("121 mmHg");
    expect(formatValue({ vital: "spo2", value: 97, unit: "%" })).toBe("97 %");
    expect(formatValue({ vital: "glucose", value: 5.64, unit: "mmol/L" })).toBe("5.6 mmol/L");
    expect(vitalLabel("battery_level")).toBe("Sensor battery");
  });

  it("turns the rules' codes in alarm messages into clinical words", () => {
    expect(clinicalText("NEWS2 7, a single parameter scores 3 (not scored: spo2, air_or_oxygen, consciousness)")).toBe("NEWS2 7, a single parameter scores 3 (not scored: SpO₂, air/O₂, ACVPU)");
    expect(clinicalText("systolic bp 83 mm[Hg] is below the limit 90")).toBe("systolic BP 83 mmHg is below the limit 90");
    expect(clinicalText("qSOFA 2 (respiratory_rate, systolic_bp)")).toBe("qSOFA 2 (respiration rate, systolic BP)");
    expect(clinicalText("body_temperature 35.0 Cel")).toBe("temperature 35.0 °C");
  });

  it("gives the age of a value and the duration of an alarm", () => {
    expect(ageText(3000)).toBe("just now");
    expect(ageText(45_000)).toBe("45 s ago");
    expect(ageText(125_000)).toBe("2 min ago");
    expect(ageText(3 * 3_600_000)).toBe("3 h ago");
    expect(durationText(4 * 60_000 + 5000)).toBe("for 4 min");
  });

  it("fades a continuous vital after minutes but a spot check only after hours", () => {
    expect(isStale({ vital: "heart_rate", time: 0 }, 6 * 60_000)).toBe(true);
    expect(isStale({ vital: "systolic_bp", time: 0 }, 6 * 60_000)).toBe(false);
    expect(isStale({ vital: "body_weight", time: 0 }, 24 * 3_600_000)).toBe(false);
  });

  it("marks a probe-off zero and flagged readings as artifacts, never a battery at 0 %", () => {
    expect(isArtifact(reading("p", "spo2", 0, 0))).toBe(true);
    expect(isArtifact(reading("p", "pulse_rate", 0, 0))).toBe(true);
    expect(isArtifact(reading("p", "heart_rate", 72, 0, { quality: ["artifact"] }))).toBe(true);
    expect(isArtifact(reading("p", "battery_level", 0, 0, { unit: "%" }))).toBe(false);
    expect(isArtifact(reading("p", "spo2", 97, 0))).toBe(false);
  });
});

describe("alarmPattern (IEC 60601-1-8 style)", () => {
  it("has distinct bursts: high 10 pulses repeating, medium 3 repeating more slowly, low 2 once", () => {
    const high = alarmPattern("high");
    const medium = alarmPattern("medium");
    const low = alarmPattern("low");
    expect([high.pulses.length, medium.pulses.length, low.pulses.length]).toEqual([10, 3, 2]);
    expect(high.repeatMs).toBeLessThan(medium.repeatMs ?? Infinity);
    expect(low.repeatMs).toBeUndefined();
    for (const p of [...high.pulses, ...medium.pulses, ...low.pulses]) {
      expect(p.hz).toBeGreaterThanOrEqual(150); // the standard's fundamental range
      expect(p.hz).toBeLessThanOrEqual(1000);
    }
    expect(new Set([high, medium, low].map((x) => x.pulses[0]?.hz)).size).toBe(3);
  });
});
