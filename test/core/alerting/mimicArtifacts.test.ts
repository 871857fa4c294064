/**
 * Real monitor artifacts (test/fixtures/mimic2/README.md): runs of zeros and HR 11.5 /min must
 * become technical alarms and never enter NEWS2.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Vital } from "../../../src/core/model.js";
import type { AlertEvent } from "../../../src/core/alerting/events.js";
import { ofType, reading, rig, WALL0 } from "./helpers.js";

const rows = readFileSync(new URL("../../fixtures/mimic2/s00001_excerpt.csv", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split(",").map(Number) as [number, number, number, number, number]);

function replay(from: number, to: number) {
  const r = rig();
  const cols: [Vital, number][] = [["heart_rate", 1], ["pulse_rate", 2], ["respiratory_rate", 3], ["spo2", 4]];
  const events: AlertEvent[] = [];
  for (const row of rows.filter(([m]) => m >= from && m <= to)) {
    // One row per minute; tick each second in between as the pipeline would.
    events.push(...r.wait(60_000, 5_000));
    for (const [vital, i] of cols) events.push(...r.engine.onReading(reading(vital, row[i]!, WALL0 + row[0] * 60_000)));
  }
  return { r, events };
}

describe("MIMIC-II s00001 artifacts", () => {
  it("the 20-minute all-zero run raises technical alarms (SpO2 probe off), no physiological alarm", () => {
    const { r, events } = replay(570, 640);
    const raised = ofType(events, "raise").map((e) => e.alert);
    expect(raised.filter((a) => a.kind === "physiological")).toEqual([]);
    expect(raised.map((a) => a.cause)).toEqual(expect.arrayContaining(["technical:spo2:artifact", "technical:heart_rate:artifact", "technical:respiratory_rate:artifact"]));
    expect(raised.find((a) => a.cause === "technical:spo2:artifact")?.message).toBe("SpO2 probe off or no signal");
    // Signals came back: every technical alarm resolved (non-latching).
    expect(r.engine.openAlerts()).toEqual([]);
    expect(r.engine.stats().artifacts.zero).toBeGreaterThan(60);
  });

  it("HR 11.5 /min inside a zero run is an out-of-range artifact, never scored", () => {
    const { r, events } = replay(1370, 1410);
    expect(r.engine.stats().artifacts.out_of_range).toBe(1);
    expect(ofType(events, "raise").map((e) => e.alert.cause)).toContain("technical:heart_rate:artifact");
    for (const e of events) if (e.type === "raise" || e.type === "update") expect(e.alert.kind).not.toBe("physiological");
    for (const e of events) if ("alert" in e && e.alert.news2) expect(e.alert.news2.subscores.pulse).not.toBe(3);
  });
});
