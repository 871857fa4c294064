/**
 * Cross-channel gates in the engine (../../../src/core/rules/crossChannel.ts): the artifacts of
 * MIMIC-II s25047 that fooled NEWS2, synthetic versions of them, and true deteriorations that
 * both channels agree on, which must raise exactly as fast as before.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Reading, Vital } from "../../../src/core/model.js";
import type { AlertEvent } from "../../../src/core/alerting/events.js";
import { ofType, reading, rig, WALL0, type Rig } from "./helpers.js";

const COLUMNS: readonly [string, Vital, string][] = [
  ["HR", "heart_rate", "/min"],
  ["PULSE", "pulse_rate", "/min"],
  ["RESP", "respiratory_rate", "/min"],
  ["SpO2", "spo2", "%"],
  ["NBPSys", "systolic_bp", "mm[Hg]"],
  ["NBPDias", "diastolic_bp", "mm[Hg]"],
  ["NBPMean", "mean_arterial_pressure", "mm[Hg]"],
];

const [header, ...lines] = readFileSync(new URL("../../fixtures/mimic2/s25047_numerics_1min.csv", import.meta.url), "utf8").trim().split("\n");
const names = header!.split(",");
const rows = lines.map((l) => Object.fromEntries(l.split(",").map((c, i) => [names[i]!, c === "" ? undefined : Number(c)])) as Record<string, number | undefined>);

/** One monitor row per minute, ticks every 5 s in between, as the pipeline would. */
export function replayS25047(skip: readonly Vital[] = []): { r: Rig; events: AlertEvent[] } {
  const r = rig();
  const events: AlertEvent[] = [];
  for (const row of rows) {
    events.push(...r.wait(60_000, 5_000));
    for (const [col, vital, unit] of COLUMNS) {
      const value = row[col];
      if (value === undefined || skip.includes(vital)) continue;
      const rd: Reading = { ...reading(vital, value, WALL0 + row.minute! * 60_000, unit), deviceId: "monitor-1" };
      events.push(...r.engine.onReading(rd));
    }
  }
  events.push(...r.wait(10 * 60_000, 5_000));
  return { r, events };
}

const raised = (events: AlertEvent[]) => ofType(events, "raise").map((e) => e.alert);

const physiological = (events: AlertEvent[]) => raised(events).filter((a) => a.kind === "physiological");
const MIN = 60_000;

describe("MIMIC-II s25047 (72 min, very noisy)", () => {
  const { r, events } = replayS25047();

  it("SpO2 42.9–71 % with the pleth at 102–149 /min and the ECG at 62–83 /min never reaches NEWS2: no high alarm, the technical alarm instead", () => {
    // Before the gate: NEWS2 9, high, latched, from SpO2 (3) + RR (3) + pulse (3) at minutes 40–44.
    for (const e of events) if ("alert" in e && e.alert.kind === "physiological") expect(e.alert.priority).not.toBe("high");
    for (const e of events) if ("alert" in e && e.alert.cause === "news2") expect(e.alert.news2?.subscores.spo2 ?? 0).toBe(0);
    expect(raised(events).map((a) => a.cause)).toContain("technical:spo2:questionable");
  });

  it("the cuff readings 74/10, 45/18 and 40/18 are artifacts (technical), never scored", () => {
    const bp = raised(events).filter((a) => a.cause === "technical:systolic_bp:artifact");
    expect(bp.map((a) => a.inputs[0]?.value)).toEqual([74, 45, 40]);
    expect(bp[0]?.message).toBe("Blood pressure cuff reading implausible (artifact)");
    for (const e of events) if ("alert" in e) for (const i of e.alert.inputs) if (e.alert.kind === "physiological" && i.vital === "systolic_bp") expect([74, 45, 40]).not.toContain(i.value);
    expect(r.engine.stats().artifacts.implausible).toBe(3);
  });

  it("what is left is driven by this patient's real systolic of 87–92 mmHg, charted again and again (NEWS2 red score, medium)", () => {
    for (const a of physiological(events)) {
      expect(a.priority).toBe("medium");
      expect(a.news2?.subscores.systolic_bp).toBe(3);
    }
  });
});

describe("pleth vs ECG (synthetic)", () => {
  it("SpO2 65 % with the pleth at 140 /min and the ECG at 75 /min: no physiological alarm, 'SpO2 signal questionable' after 30 s", () => {
    const r = rig();
    const events = r.feed({ heart_rate: 75, pulse_rate: 140, spo2: 65, respiratory_rate: 16 }, 15 * MIN, 5_000);
    expect(physiological(events)).toEqual([]);
    const q = raised(events).find((a) => a.cause === "technical:spo2:questionable");
    expect(q?.message).toBe("SpO2 signal questionable: pleth pulse disagrees with ECG heart rate");
    expect(q?.raisedAtMonotonic).toBe(35_000); // first reading at 5 s + the 30 s technical raise delay
    // NEWS2 scores the ECG heart rate and lists SpO2 as not scored.
    expect(r.engine.openAlerts().find((a) => a.cause === "news2")).toBeUndefined();
  });

  it("a pleth pulse that is itself an artifact (277 /min) takes SpO2 with it", () => {
    const r = rig();
    const events = r.feed({ heart_rate: 75, pulse_rate: 277, spo2: 60, respiratory_rate: 16 }, 15 * MIN, 5_000);
    expect(physiological(events)).toEqual([]);
    expect(raised(events).find((a) => a.cause === "technical:spo2:questionable")?.message).toBe("SpO2 signal questionable: pleth pulse invalid");
  });

  it("a clean desaturation both channels agree on raises exactly as fast as with no ECG to check against", () => {
    const desat = { pulse_rate: 118, spo2: 84, respiratory_rate: 26 }; // SpO2 3 + RR 3 + pulse 2 = 8: high
    const withEcg = rig().feed({ ...desat, heart_rate: 121 }, 5 * MIN, 5_000);
    const pulseOnly = rig().feed(desat, 5 * MIN, 5_000);
    const a = physiological(withEcg).find((x) => x.cause === "news2");
    const b = physiological(pulseOnly).find((x) => x.cause === "news2");
    expect(a?.priority).toBe("high");
    expect(a?.news2?.subscores.spo2).toBe(3);
    expect(a?.raisedAtMonotonic).toBe(b?.raisedAtMonotonic);
    expect(a?.raisedAtMonotonic).toBe(65_000); // first reading at 5 s + the 60 s high raise delay
    expect(raised(withEcg).map((x) => x.cause)).not.toContain("technical:spo2:questionable");
  });

  it("after a disagreement with the ECG lost, SpO2 stays out of NEWS2 for 5 min, then a lone oximeter is believed again", () => {
    const r = rig();
    r.feed({ heart_rate: 75, pulse_rate: 140, spo2: 65, respiratory_rate: 16 }, 2 * MIN, 5_000);
    // ECG leads off (HR 0, an artifact); the pleth now reads a plausible pulse and SpO2 78 %.
    const held = r.feed({ heart_rate: 0, pulse_rate: 72, spo2: 78, respiratory_rate: 16 }, 4 * MIN, 5_000);
    expect(physiological(held)).toEqual([]);
    expect(ofType(held, "raise").map((e) => e.alert.cause)).not.toContain("technical:spo2:questionable"); // still open from the disagreement
    expect(r.engine.openAlerts().map((a) => a.cause)).toContain("technical:spo2:questionable");
    const later = r.feed({ heart_rate: 0, pulse_rate: 72, spo2: 78, respiratory_rate: 16 }, 10 * MIN, 5_000);
    expect(physiological(later).map((a) => [a.cause, a.news2?.subscores.spo2])).toEqual([["news2", 3]]);
  });

  it("a lone oximeter (no ECG) is believed again right after a probe-off: a desaturation then is not delayed", () => {
    const r = rig();
    r.feed({ pulse_rate: 0, spo2: 0, respiratory_rate: 26 }, 2 * MIN, 5_000);
    const after = r.feed({ pulse_rate: 118, spo2: 84, respiratory_rate: 26 }, 3 * MIN, 5_000);
    // First valid reading at 2 min 5 s; high raises 60 s later, as with no probe-off before.
    expect(physiological(after).map((a) => [a.cause, a.priority, a.raisedAtMonotonic])).toEqual([["news2", "high", 185_000]]);
  });

  it("agreement with the ECG ends the doubt at once", () => {
    const r = rig();
    r.feed({ heart_rate: 110, pulse_rate: 140, spo2: 80, respiratory_rate: 20 }, 2 * MIN, 5_000);
    const after = r.feed({ heart_rate: 121, pulse_rate: 118, spo2: 84, respiratory_rate: 26 }, 3 * MIN, 5_000);
    // Raised 60 s (the high raise delay) after the first agreeing reading at 2 min 5 s.
    expect(physiological(after).map((a) => [a.cause, a.priority, a.raisedAtMonotonic])).toEqual([["news2", "high", 185_000]]);
  });

  it("an open SpO2 alarm does not clear because the pleth later disagrees (an alarm never clears for lack of data)", () => {
    const r = rig();
    r.feed({ heart_rate: 121, pulse_rate: 118, spo2: 84, respiratory_rate: 26 }, 3 * MIN, 5_000);
    expect(r.engine.openAlerts().find((a) => a.cause === "news2")?.priority).toBe("high");
    r.feed({ heart_rate: 75, pulse_rate: 140, spo2: 84, respiratory_rate: 26 }, 20 * MIN, 5_000);
    expect(r.engine.openAlerts().find((a) => a.cause === "news2")).toBeDefined();
  });
});

describe("cuff blood pressure (synthetic)", () => {
  const cuff = (r: Rig, parts: readonly [Vital, number][]) => {
    r.clock.t += 1000;
    const time = WALL0 + r.clock.t;
    return parts.flatMap(([vital, value]) => r.do((e) => e.onReading(reading(vital, value, time, "mm[Hg]"))));
  };

  for (const order of [["systolic_bp", "diastolic_bp", "mean_arterial_pressure"], ["diastolic_bp", "mean_arterial_pressure", "systolic_bp"]] as const) {
    it(`74/10 (MAP 31) is an artifact whatever the order of its parts (${order.join(", ")})`, () => {
      const r = rig();
      const values = { systolic_bp: 74, diastolic_bp: 10, mean_arterial_pressure: 31 };
      const events = cuff(r, order.map((v) => [v, values[v]] as [Vital, number]));
      events.push(...r.feed({ respiratory_rate: 16, spo2: 97, heart_rate: 72 }, 10 * MIN, 5_000));
      expect(physiological(events)).toEqual([]);
      expect(raised(events).map((a) => a.cause)).toContain("technical:systolic_bp:artifact");
    });
  }

  it("a real 74/50 (MAP 58) scores 3 and raises NEWS2 medium", () => {
    const r = rig();
    const events = cuff(r, [["systolic_bp", 74], ["diastolic_bp", 50], ["mean_arterial_pressure", 58]]);
    events.push(...r.feed({ respiratory_rate: 16, spo2: 97, heart_rate: 72 }, 10 * MIN, 5_000));
    expect(physiological(events).map((a) => [a.cause, a.priority, a.news2?.subscores.systolic_bp])).toEqual([["news2", "medium", 3]]);
  });

  it("a MAP above the systolic (80/50, MAP 95) is an artifact; a systolic alone is believed", () => {
    const bad = rig();
    const e1 = cuff(bad, [["systolic_bp", 80], ["diastolic_bp", 50], ["mean_arterial_pressure", 95]]);
    e1.push(...bad.feed({ respiratory_rate: 16 }, 10 * MIN, 5_000));
    expect(physiological(e1)).toEqual([]);
    const alone = rig();
    const e2 = cuff(alone, [["systolic_bp", 80]]);
    e2.push(...alone.feed({ respiratory_rate: 16 }, 10 * MIN, 5_000));
    expect(physiological(e2).map((a) => a.cause)).toEqual(["news2"]);
  });

  it("a diastolic from another device or another measurement does not judge this systolic", () => {
    const r = rig();
    r.clock.t += 1000;
    const events = r.do((e) => e.onReading(reading("systolic_bp", 74, WALL0 + r.clock.t, "mm[Hg]")));
    events.push(...r.do((e) => e.onReading({ ...reading("diastolic_bp", 10, WALL0 + r.clock.t, "mm[Hg]"), deviceId: "other-cuff" })));
    events.push(...r.feed({ respiratory_rate: 16 }, 10 * MIN, 5_000));
    expect(physiological(events).map((a) => a.cause)).toEqual(["news2"]);
  });
});

describe("late stored records (device time)", () => {
  const spotCheck = (r: Rig, spo2: number, ageMs: number): AlertEvent[] =>
    r.do((e) => [...e.onReading(reading("spo2", spo2, WALL0 + r.clock.t - ageMs)), ...e.onReading(reading("respiratory_rate", 26, WALL0 + r.clock.t - ageMs))]);

  it("a spot-check taken 2 h ago and handed over now is stale: no NEWS2 alarm from it", () => {
    const r = rig();
    r.clock.t = 3 * 3_600_000;
    const events = [...spotCheck(r, 86, 2 * 3_600_000), ...r.wait(10 * MIN, 5_000)];
    expect(physiological(events)).toEqual([]);
  });

  it("the same spot-check taken just now is scored: RR 3 + SpO2 3 raise the red score (the control)", () => {
    const r = rig();
    r.clock.t = 3 * 3_600_000;
    const events = [...spotCheck(r, 86, 0), ...r.wait(10 * MIN, 5_000)];
    expect(physiological(events).map((a) => [a.cause, a.news2?.subscores.spo2])).toEqual([["news2", 3]]);
  });
});
