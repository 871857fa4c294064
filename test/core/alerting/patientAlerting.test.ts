import { describe, expect, it } from "vitest";
import type { Vital } from "../../../src/core/model.js";
import { RESOLVED_IDS_KEPT } from "../../../src/core/alerting/manager.js";
import { HIGH, MEDIUM, NORMAL, nurse, ofType, reading, rig, WALL0 } from "./helpers.js";

describe("createPatientAlerting: persistence and priorities", () => {
  it("raises NEWS2 high only after it held for raiseMs.high (60 s), with inputs, version and limits", () => {
    const r = rig();
    expect(r.feed(HIGH, 50_000)).toEqual([]); // 50 s < 60 s
    const raised = ofType(r.feed(HIGH, 20_000), "raise");
    expect(raised).toHaveLength(1);
    const a = raised[0]!.alert;
    expect(a).toMatchObject({ cause: "news2", kind: "physiological", priority: "high", state: "active", ruleSetVersion: "news2-rcp2017/gw-1", patientId: "p1" });
    expect(a.news2).toMatchObject({ total: 9, subscores: { respiratory_rate: 3, spo2: 3, pulse: 3 }, scale: 1 });
    expect(a.news2?.missing).toContain("consciousness"); // unknown, never assumed Alert
    expect(a.inputs.map((i) => i.vital).sort()).toEqual(["heart_rate", "respiratory_rate", "spo2"]);
    expect(a.limits).toMatchObject({ acvpu: "unknown", highAt: 7 });
    expect(raised[0]!.audit).toMatchObject({ type: "alert_raised", alertId: a.id, patientId: "p1" });
  });

  it("maps NEWS2 5–6 to medium after 5 min, a single 3 to medium, and does not alarm below", () => {
    const r = rig();
    expect(ofType(r.feed(MEDIUM, 290_000), "raise")).toHaveLength(0);
    expect(ofType(r.feed(MEDIUM, 20_000), "raise")[0]?.alert.priority).toBe("medium");
    const red = rig();
    const ev = ofType(red.feed({ respiratory_rate: 26, spo2: 97, heart_rate: 72 }, 310_000), "raise");
    expect(ev.map((e) => [e.alert.priority, e.alert.news2?.total])).toEqual([["medium", 3]]);
    const low = rig();
    expect(low.feed({ respiratory_rate: 22, spo2: 95, heart_rate: 72 }, 3_600_000)).toEqual([]); // NEWS2 3, no single 3
  });

  it("worsening medium → high re-announces the same alert (one alert per cause)", () => {
    const r = rig();
    const id = ofType(r.feed(MEDIUM, 310_000), "raise")[0]!.alert.id;
    const up = ofType(r.feed(HIGH, 70_000), "update").filter((e) => e.announce);
    expect(up).toHaveLength(1);
    expect(up[0]!.alert).toMatchObject({ id, priority: "high", state: "active" });
    expect(ofType(r.events, "raise")).toHaveLength(1);
  });

  it("non-latching medium clears with hysteresis: holds at NEWS2 4, resolves after 5 min at ≤ 3", () => {
    const r = rig();
    r.feed(MEDIUM, 310_000);
    // RR 22 (2) + SpO2 94 (1) + HR 95 (1) = 4: within 1 point of the band, held.
    expect(r.feed({ respiratory_rate: 22, spo2: 94, heart_rate: 95 }, 600_000)).toEqual([]);
    expect(r.feed(NORMAL, 290_000)).toEqual([]);
    const res = ofType(r.feed(NORMAL, 20_000), "resolve");
    expect(res).toHaveLength(1);
    expect(res[0]!.alert.state).toBe("resolved");
  });

  it("latching high stays active after its condition ends until a nurse acknowledges, then resolves", () => {
    const r = rig();
    const a = ofType(r.feed(HIGH, 70_000), "raise")[0]!.alert;
    r.do((e) => e.onAck(a.id, nurse)); // acknowledged while present
    r.engine.openAlerts();
    const r2 = rig();
    const b = ofType(r2.feed(HIGH, 70_000), "raise")[0]!.alert;
    const ev = r2.feed(NORMAL, 400_000);
    expect(ofType(ev, "resolve")).toHaveLength(0);
    expect(r2.engine.openAlerts()[0]).toMatchObject({ id: b.id, state: "active", conditionActive: false });
    const acked = r2.do((e) => e.onAck(b.id, nurse));
    expect(acked.map((e) => e.type)).toEqual(["resolve"]);
    expect(acked[0]!.audit).toMatchObject({ type: "alert_resolved", actor: nurse });
    expect(r2.engine.openAlerts()).toEqual([]);
  });

  it("an acknowledged alarm resolves when its condition ends", () => {
    const r = rig();
    const a = ofType(r.feed(HIGH, 70_000), "raise")[0]!.alert;
    expect(r.do((e) => e.onAck(a.id, nurse))[0]).toMatchObject({ type: "update", alert: { state: "acknowledged" }, audit: { type: "alert_state", actor: nurse } });
    expect(ofType(r.feed(NORMAL, 400_000), "resolve")).toHaveLength(1);
  });

  it("a sudden HR step is believed only after 3 consistent readings (jump gate), then scores", () => {
    const r = rig();
    r.feed(NORMAL, 60_000);
    const ev = r.feed(HIGH, 10_000);
    expect(r.engine.stats().artifacts.jump).toBe(1);
    expect(ofType(ev, "raise")).toEqual([]);
    // Believed from the 3rd reading (t = 30 s): high after 30 + 60 s, not after 60 s.
    expect(ofType(r.feed(HIGH, 70_000), "raise")).toEqual([]);
    expect(ofType(r.feed(HIGH, 20_000), "raise").map((e) => e.alert.priority)).toEqual(["high"]);
  });
});

describe("createPatientAlerting: escalation and pauses", () => {
  it("escalates an unacknowledged high alarm after T1 (60 s) and T2 (180 s), once each", () => {
    const r = rig();
    r.feed(HIGH, 70_000);
    const esc = ofType(r.wait(59_000), "escalate");
    expect(esc).toEqual([]);
    const e1 = ofType(r.wait(2_000), "escalate");
    expect(e1.map((e) => e.level)).toEqual([1]);
    const e2 = ofType(r.wait(200_000), "escalate");
    expect(e2.map((e) => e.level)).toEqual([2]);
    expect(e2[0]!.audit.type).toBe("alert_escalated");
  });

  it("does not escalate an acknowledged alarm", () => {
    const r = rig();
    const a = ofType(r.feed(HIGH, 70_000), "raise")[0]!.alert;
    r.do((e) => e.onAck(a.id, nurse));
    expect(ofType(r.wait(400_000), "escalate")).toEqual([]);
  });

  it("audio pause expires (max 2 min) and re-announces while the condition persists", () => {
    const r = rig();
    const a = ofType(r.feed(HIGH, 70_000), "raise")[0]!.alert;
    const p = r.do((e) => e.onPause({ alertId: a.id, kind: "audio_pause", durationMs: 10 * 60_000, actor: nurse }));
    expect(p[0]).toMatchObject({ type: "update", alert: { state: "audio_paused", until: r.clock.t + 120_000 } });
    expect(r.feed(HIGH, 110_000).filter((e) => e.type === "update" && e.announce)).toEqual([]);
    const back = r.feed(HIGH, 20_000).filter((e) => e.type === "update" && e.announce);
    expect(back).toHaveLength(1);
    expect(back[0]).toMatchObject({ alert: { state: "active", escalation: 0 } });
  });

  it("a non-latching paused alarm resolves when its condition ends; a latched one re-announces at expiry", () => {
    const r = rig({ persistence: { clearMs: 60_000 } });
    const a = ofType(r.feed(MEDIUM, 310_000), "raise")[0]!.alert;
    r.do((e) => e.onPause({ alertId: a.id, kind: "alarm_pause", actor: nurse }));
    expect(ofType(r.feed(NORMAL, 100_000), "resolve").map((e) => e.alert.id)).toEqual([a.id]);
    const h = rig({ persistence: { clearMs: 60_000 } });
    const b = ofType(h.feed(HIGH, 70_000), "raise")[0]!.alert;
    h.do((e) => e.onPause({ alertId: b.id, kind: "alarm_pause", actor: nurse }));
    const ev = h.feed(NORMAL, 300_000);
    expect(ofType(ev, "resolve")).toEqual([]);
    const again = ev.filter((e) => e.type === "update" && e.announce);
    expect(again.map((e) => e.type === "update" && [e.alert.state, e.alert.conditionActive])).toEqual([["active", false]]);
  });

  it("a higher-priority alarm breaks through a patient-wide pause; lower ones are raised paused", () => {
    const r = rig();
    const med = ofType(r.feed({ respiratory_rate: 26, spo2: 97, heart_rate: 72 }, 310_000), "raise")[0]!.alert;
    expect(med.priority).toBe("medium");
    r.do((e) => e.onPause({ kind: "alarm_pause", actor: nurse }));
    // SpO2 probe off during the pause: low technical alarm, raised paused and silent.
    const tech = ofType(r.feed({ respiratory_rate: 26, spo2: 0, heart_rate: 72 }, 40_000), "raise");
    expect(tech.map((e) => [e.alert.cause, e.alert.state, e.announce])).toEqual([["technical:spo2:artifact", "alarm_paused", false]]);
    // The NEWS2 alarm worsens to high: it breaks through the pause.
    const up = r.feed(HIGH, 100_000).filter((e) => e.type === "update" && e.announce);
    expect(up.map((e) => e.type === "update" && [e.alert.id, e.alert.priority, e.alert.state])).toContainEqual([med.id, "high", "active"]);
  });

  it("rejects actions from roles not allowed, on unknown ids and on resolved alerts, and audits them", () => {
    const r = rig();
    const viewer = { user: "v", role: "viewer", client: "c" };
    expect(r.do((e) => e.onAck("nope", nurse))[0]).toMatchObject({ type: "reject", reason: "unknown_alert", audit: { type: "action_rejected" } });
    const a = ofType(r.feed(HIGH, 70_000), "raise")[0]!.alert;
    expect(r.do((e) => e.onAck(a.id, viewer))[0]).toMatchObject({ type: "reject", reason: "role_not_allowed" });
    expect(r.do((e) => e.onPause({ alertId: a.id, kind: "audio_pause", durationMs: Number.NaN, actor: nurse }))[0]).toMatchObject({ reason: "bad_duration" });
    r.feed(NORMAL, 400_000);
    r.do((e) => e.onAck(a.id, nurse));
    expect(r.do((e) => e.onAck(a.id, nurse))[0]).toMatchObject({ type: "reject", reason: "already_resolved" });
  });
});

describe("createPatientAlerting: memory over months", () => {
  it("remembers only the last RESOLVED_IDS_KEPT resolved alerts: an older late ack is still refused, as unknown", () => {
    const r = rig({ rateLimit: { physiologicalMs: 0 } });
    const ids: string[] = [];
    for (let i = 0; i <= RESOLVED_IDS_KEPT; i++) {
      ids.push(ofType(r.feed(MEDIUM, 310_000), "raise")[0]!.alert.id);
      expect(ofType(r.feed(NORMAL, 310_000), "resolve")).toHaveLength(1);
    }
    expect(r.do((e) => e.onAck(ids[0]!, nurse))[0]).toMatchObject({ type: "reject", reason: "unknown_alert" });
    expect(r.do((e) => e.onAck(ids[1]!, nurse))[0]).toMatchObject({ type: "reject", reason: "already_resolved" });
    expect(r.do((e) => e.onAck(ids.at(-1)!, nurse))[0]).toMatchObject({ type: "reject", reason: "already_resolved" });
  });
});

describe("createPatientAlerting: rate limits and accountability", () => {
  it("suppresses a re-raise of the same cause within 4 h and logs it once with its reason", () => {
    const r = rig();
    r.feed(MEDIUM, 310_000);
    r.feed(NORMAL, 310_000);
    expect(ofType(r.events, "resolve")).toHaveLength(1);
    const again = r.feed(MEDIUM, 900_000);
    expect(ofType(again, "raise")).toEqual([]);
    const sup = ofType(again, "suppress");
    expect(sup).toHaveLength(1);
    expect(sup[0]).toMatchObject({ cause: "news2", reason: "rate_limited", audit: { type: "alert_suppressed" } });
  });

  it("never rate-limits NEWS2 ≥ 7", () => {
    const r = rig();
    const a = ofType(r.feed(HIGH, 70_000), "raise")[0]!.alert;
    r.do((e) => e.onAck(a.id, nurse));
    expect(ofType(r.feed(NORMAL, 400_000), "resolve")).toHaveLength(1);
    expect(ofType(r.feed(HIGH, 100_000), "raise")).toHaveLength(1);
  });

  it("ACVPU comes from a nurse input, is audited with who, and scores", () => {
    const r = rig();
    r.feed(NORMAL, 30_000);
    const ev = r.do((e) => e.onClinicalInput({ type: "acvpu", value: "V", actor: nurse }));
    expect(ev[0]).toMatchObject({ type: "note", audit: { type: "clinical_input", actor: nurse, data: { type: "acvpu", value: "V" } } });
    // NEWS2 3 (single 3 from consciousness) → medium after 5 min.
    const raised = ofType(r.feed(NORMAL, 310_000), "raise");
    expect(raised[0]?.alert.news2?.subscores).toMatchObject({ consciousness: 3 });
  });

  it("Scale 2 applies only when set for the patient (with who and when)", () => {
    const hypox = { respiratory_rate: 16, spo2: 89, heart_rate: 72 }; // Scale 1: SpO2 3
    expect(ofType(rig().feed(hypox, 310_000), "raise")).toHaveLength(1);
    const s2 = rig({ patients: { p1: { spo2Scale: { value: 2, setBy: "dr-a", setAt: "2026-11-25T08:00:00Z" }, onOxygen: { value: false, setBy: "dr-a", setAt: "2026-11-25T08:00:00Z" } } } });
    expect(s2.feed(hypox, 3_600_000)).toEqual([]);
  });
});

describe("createPatientAlerting: restart", () => {
  it("continues alerts open before a restart: one per cause, paused ones re-announced, latched ones still need an ack", () => {
    const before = rig();
    const a = ofType(before.feed(HIGH, 70_000), "raise")[0]!.alert;
    before.do((e) => e.onPause({ alertId: a.id, kind: "alarm_pause", actor: nurse }));
    const saved = before.engine.openAlerts();
    expect(saved[0]!.state).toBe("alarm_paused");

    const after = rig(); // a new process: new engine, monotonic time from 0
    const ev = after.do((e) => e.restore(saved));
    expect(ev).toMatchObject([{ type: "update", announce: true, alert: { id: a.id, state: "active" }, audit: { data: { reason: "restored_after_restart" } } }]);
    expect(after.do((e) => e.restore(saved))).toEqual([]); // idempotent
    // The condition persists: no second alert for the cause; it ends: the latched alarm stays.
    expect(ofType(after.feed(HIGH, 120_000), "raise")).toEqual([]);
    expect(ofType(after.feed(NORMAL, 400_000), "resolve")).toEqual([]);
    expect(after.engine.openAlerts()[0]).toMatchObject({ id: a.id, conditionActive: false });
    expect(ofType(after.do((e) => e.onAck(a.id, nurse)), "resolve")).toHaveLength(1);
  });
});

describe("createPatientAlerting: external technical conditions", () => {
  it("an adapter-reported condition (BLE link lost) raises after 30 s and clears 30 s after it ends", () => {
    const r = rig();
    expect(r.do((e) => e.onExternalCondition({ name: "ble_link", present: true, message: "BLE sensor disconnected" }))).toEqual([]);
    const raised = ofType(r.wait(31_000), "raise");
    expect(raised.map((e) => [e.alert.cause, e.alert.kind, e.alert.priority, e.alert.message])).toEqual([["technical:external:ble_link", "technical", "medium", "BLE sensor disconnected"]]);
    r.do((e) => e.onExternalCondition({ name: "ble_link", present: false, message: "BLE sensor connected" }));
    expect(ofType(r.wait(29_000), "resolve")).toEqual([]);
    expect(ofType(r.wait(2_000), "resolve")).toHaveLength(1);
    expect(r.do((e) => e.onExternalCondition({ name: "Bad Name!", present: true, message: "x" }))[0]).toMatchObject({ type: "note", audit: { type: "action_rejected" } });
  });
});

describe("createPatientAlerting: bad input", () => {
  const bad = (r: ReturnType<typeof rig>) => {
    const t0 = WALL0 + 1_000_000;
    const feed = (vital: Vital, value: number, time: number, unit?: string) => r.do((e) => e.onReading(reading(vital, value, time, unit)));
    feed("heart_rate", 72, t0);
    feed("heart_rate", Number.NaN, t0 + 1000);
    feed("heart_rate", Number.POSITIVE_INFINITY, t0 + 2000);
    feed("heart_rate", -60, t0 + 3000);
    feed("heart_rate", 1e9, t0 + 4000);
    feed("heart_rate", 72, t0 + 4000); // duplicate time
    feed("heart_rate", 72, t0 + 500); // out of order
    feed("heart_rate", 72, Number.NaN); // no usable time
    feed("spo2", 97, t0 + 5000, "ppm"); // not SpO2's unit
    feed("steps", 100, t0 + 6000); // not a rule vital
    return r;
  };

  it("NaN, ±∞, negative and absurd values, duplicates, out-of-order times and wrong units: counted, never a physiological alarm", () => {
    const r = bad(rig());
    expect(r.engine.stats()).toEqual({ readings: 10, valid: 1, ignored: 1, artifacts: { not_finite: 2, out_of_range: 2, unit: 1 }, dropped: { duplicate: 1, out_of_order: 2 } });
    r.wait(60_000);
    expect(r.events.filter((e) => "alert" in e && e.alert.kind === "physiological")).toEqual([]);
  });

  it("is deterministic: the same inputs give the same events", () => {
    const a = bad(rig());
    const b = bad(rig());
    a.wait(60_000);
    b.wait(60_000);
    expect(a.events).toEqual(b.events);
    expect(a.events.length).toBeGreaterThan(0); // the artifacts raised technical alarms
  });

  it("rejects clinical inputs with values outside their set", () => {
    const r = rig();
    const ev = r.do((e) => e.onClinicalInput({ type: "acvpu", value: "X" as "A", actor: nurse }));
    expect(ev).toMatchObject([{ type: "note", audit: { type: "action_rejected", data: { reason: "bad_clinical_input" } } }]);
    expect(r.do((e) => e.onClinicalInput({ type: "spo2_scale", scale: 3 as 2, actor: nurse }))[0]!.audit.type).toBe("action_rejected");
  });
});

describe("createPatientAlerting: qSOFA advisory", () => {
  it("RR ≥ 22 with altered mentation raises a low 'possible sepsis' advisory beside NEWS2; it can be turned off", () => {
    const r = rig();
    r.do((e) => e.onClinicalInput({ type: "acvpu", value: "C", actor: nurse }));
    const raised = ofType(r.feed({ respiratory_rate: 23, spo2: 97, heart_rate: 80 }, 310_000), "raise").map((e) => e.alert);
    const adv = raised.find((a) => a.cause === "qsofa");
    expect(adv).toMatchObject({ kind: "advisory", priority: "low", limits: { met: "respiratory_rate,mentation", mentation: "C" } });
    expect(raised.find((a) => a.cause === "news2")?.priority).toBe("medium"); // RR 2 + C 3 = 5
    const off = rig({ advisories: { qsofa: false } });
    off.do((e) => e.onClinicalInput({ type: "acvpu", value: "C", actor: nurse }));
    expect(ofType(off.feed({ respiratory_rate: 23, spo2: 97, heart_rate: 80 }, 310_000), "raise").map((e) => e.alert.cause)).toEqual(["news2"]);
  });
});
