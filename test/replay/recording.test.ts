import { describe, expect, it } from "vitest";
import { parseNumerics, REPLAY_MONITOR, REPLAY_STRAP } from "../../src/replay/recording.js";

describe("parseNumerics", () => {
  it("turns rows into strap GATT frames and monitor JSON at minutes from the first row", () => {
    const track = parseNumerics("minute,HR,PULSE,SpO2,NBPSys\n10,80,79,97,0\n11,,81,,120\n", "r.csv");
    expect(track.durationMinutes).toBe(2);
    expect(track.messages.map((m) => [m.atMinute, m.topic])).toEqual([
      [0, `${REPLAY_STRAP}/gatt/2a37`],
      [0, `${REPLAY_MONITOR}/json`],
      [1, `${REPLAY_MONITOR}/json`],
    ]);
    expect([...(track.messages[0]?.payload ?? [])]).toEqual([0, 80]);
    expect(JSON.parse(track.messages[1]?.payload.toString() ?? "")).toEqual([
      { vital: "spo2", value: 97, unit: "%" },
      { vital: "pulse_rate", value: 79, unit: "/min" },
    ]); // the cuff's 0 (no cycle) is not sent
  });

  it("sends the whole cuff reading (systolic, diastolic, mean) in one message, so the cuff gate can judge it", () => {
    const track = parseNumerics("minute,NBPSys,NBPDias,NBPMean\n7,74,10,31\n", "r.csv");
    expect(JSON.parse(track.messages[0]?.payload.toString() ?? "")).toEqual([
      { vital: "systolic_bp", value: 74, unit: "mm[Hg]" },
      { vital: "diastolic_bp", value: 10, unit: "mm[Hg]" },
      { vital: "mean_arterial_pressure", value: 31, unit: "mm[Hg]" },
    ]);
  });

  it("names the file, line and column of bad input", () => {
    expect(() => parseNumerics("minute,HR\n0,80\n1,eighty\n", "r.csv")).toThrow("r.csv:3: column HR: 'eighty' is not a number");
    expect(() => parseNumerics("time,HR\n0,80\n", "r.csv")).toThrow(/r\.csv:1: no 'minute' column/);
    expect(() => parseNumerics("minute,HR\n5,80\n4,81\n", "r.csv")).toThrow(/r\.csv:3: minute 4 goes back in time/);
    expect(() => parseNumerics("minute,HR\n", "r.csv")).toThrow(/no rows/);
  });
});
