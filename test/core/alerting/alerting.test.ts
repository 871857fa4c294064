import { describe, expect, it } from "vitest";
import { createAlerting } from "../../../src/core/alerting/alerting.js";
import { DEFAULT_ALERTING_CONFIG } from "../../../src/core/alerting/config.js";
import type { AlertEvent } from "../../../src/core/alerting/events.js";
import { HIGH, nurse, reading, VirtualClock, WALL0 } from "./helpers.js";
import type { Vital } from "../../../src/core/model.js";

function drive(newId: () => string) {
  const clock = new VirtualClock();
  const alerting = createAlerting(DEFAULT_ALERTING_CONFIG, { clock, newId });
  const events: AlertEvent[] = [];
  for (let s = 10; s <= 90; s += 10) {
    clock.t = s * 1000;
    for (const p of ["p1", "p2"]) for (const [v, x] of Object.entries(HIGH)) events.push(...alerting.handle({ type: "reading", reading: { ...reading(v as Vital, x, WALL0 + clock.t), patientId: p } }));
    events.push(...alerting.tick());
  }
  return { alerting, events, clock };
}

describe("createAlerting", () => {
  it("routes by patient, counts per patient, lists open alerts per patient", () => {
    let n = 0;
    const { alerting, events } = drive(() => `a${++n}`);
    expect(events.filter((e) => e.type === "raise").map((e) => "alert" in e && e.alert.patientId)).toEqual(["p1", "p2"]);
    expect(alerting.openAlerts("p2")).toHaveLength(1);
    expect(alerting.openAlerts()).toHaveLength(2);
    expect(alerting.openAlerts("nobody")).toEqual([]);
    expect(alerting.stats().get("p1")).toMatchObject({ readings: 27, valid: 27 });
    // a2 is p2's alert: an ack routed to another patient is refused, never applied.
    expect(alerting.handle({ type: "ack", patientId: "p1", alertId: "a2", actor: nurse })).toMatchObject([{ type: "reject", reason: "unknown_alert" }]);
    expect(alerting.handle({ type: "ack", patientId: "p2", alertId: "a2", actor: nurse })).toMatchObject([{ type: "update", alert: { state: "acknowledged" } }]);
  });

  it("never throws: a failing engine becomes an engine_error note and the others go on", () => {
    const { events } = drive(() => {
      throw new Error("id source down");
    });
    const notes = events.filter((e) => e.type === "note");
    expect(notes.length).toBeGreaterThan(0);
    expect(notes[0]!.audit).toMatchObject({ type: "engine_error", data: { message: "id source down" } });
  });
});
