import { describe, expect, it } from "vitest";
import { cuffGateFigure, NOT_IN_PHYSIONET_2012 } from "../../src/eval/gates.js";
import { alertBurden, ruleAlarms } from "../../src/eval/burden.js";
import type { CuffSample, Stay } from "../../src/eval/physionet.js";
import type { Observation } from "../../src/core/anomaly/patientState.js";

const H = 3_600_000;

/** Hourly normal vitals for 8 h, with cuff readings (systolic/diastolic) at the given hours. */
function stay(recordId: string, died: boolean, cuffs: Record<number, [number, number]>): Stay {
  const observations: Observation[] = [];
  const cuff: CuffSample[] = [];
  for (let h = 0; h < 8; h++) {
    const t = h * H + 60_000;
    observations.push({ input: "heart_rate", value: 80, time: t }, { input: "respiratory_rate", value: 16, time: t }, { input: "spo2", value: 97, time: t }, { input: "body_temperature", value: 37, time: t });
    const [sys, dia] = cuffs[h] ?? [120, 70];
    observations.push({ input: "systolic_bp", value: sys, time: t });
    cuff.push({ time: t, systolic: sys, diastolic: dia });
  }
  return { recordId, age: 60, sex: "male", icuType: 4, died, survivalDays: died ? 3 : Number.NaN, observations, cuff };
}

describe("cross-channel gate figures in eval", () => {
  it("the cuff gate removes the NEWS2 alarm of a 74/10 reading and delays no true hypotension", () => {
    const artifact = stay("artifact", false, { 3: [74, 10] });
    const real = stay("real-hypotension", true, { 3: [82, 50], 4: [80, 48], 5: [78, 46] });
    const g = cuffGateFigure([artifact, real], 8, H);
    if (!g.measurable) throw new Error("cuff gate should be measurable here");
    expect(g.readingsChecked).toBe(16);
    expect(g.readingsFlagged).toBe(1);
    expect(g.byFault.diastolic_below_floor).toBe(1);
    expect(g.ruleAlarmsUngated).toBe(2); // one from the artifact, one from the real fall
    expect(g.ruleAlarmsRemoved).toBe(1);
    expect(g.ruleAlarmsAdded).toBe(0);
    expect(g.deathsDelayed).toBe(0);
    expect(g.deathsMissed).toBe(0);
  });

  it("a gate the data cannot exercise is reported as not measurable, with the reason, not as a zero", () => {
    const pleth = NOT_IN_PHYSIONET_2012.find((g) => g.gate === "pleth_vs_ecg")!;
    expect(pleth.measurable).toBe(false);
    expect(pleth).not.toHaveProperty("ruleAlarmsRemoved");
    expect(!pleth.measurable && pleth.reason).toMatch(/no pleth pulse rate/);
  });
});

describe("alert burden", () => {
  it("rule alarms: one per rise in level, a reminder every 4 steps while it holds, none while it falls", () => {
    //            rise  hold ×4 → reminder   escalate  fall  clear  rise
    const levels = [1, 1, 1, 1, 1, 2, 1, 0, 1];
    expect(ruleAlarms(levels)).toEqual({ alerts: 4, first: 0, activeTicks: 8 });
    expect(ruleAlarms([0, 0, 0])).toEqual({ alerts: 0, first: -1, activeTicks: 0 });
  });

  it("adds rules and advisories per patient-day and counts work-ups per detected death", () => {
    const outcomes = [
      { died: true, deathHours: 10, days: 2 },
      { died: true, deathHours: 10, days: 2 },
      { died: false, deathHours: Number.NaN, days: 2 },
    ];
    const ep = (alerts: number) => ({ alerts, first: alerts ? 0 : -1, activeTicks: alerts });
    const b = alertBurden([ep(4), ep(0), ep(8)], [ep(1), ep(1), ep(0)], outcomes);
    expect(b.rulesPerPatientDay).toBe(2);
    expect(b.advisoriesPerPatientDay).toBeCloseTo(1 / 3, 12);
    expect(b.totalPerPatientDay).toBeCloseTo(14 / 6, 12);
    expect(b.deathsDetected).toEqual({ rules: 1, advisories: 2, either: 2 });
    expect(b.workUpsPerDetectedDeath).toEqual({ rules: 12, advisories: 1, total: 7 });
  });
});
