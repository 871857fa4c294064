import { describe, expect, it } from "vitest";
import { step, type AlarmInput, type AlarmStatus } from "../../../src/core/alarms/stateMachine.js";

const base: AlarmStatus = { state: "active", priority: "high", latching: true, conditionActive: true, announcedAt: 0, escalation: 0 };
const T = { t1Ms: 60_000, t2Ms: 180_000 };
const run = (s: AlarmStatus, ...inputs: AlarmInput[]) => inputs.reduce<{ status: AlarmStatus; effects: string[] }>((acc, i) => {
  const r = step(acc.status, i);
  return { status: r.status, effects: [...acc.effects, ...r.effects] };
}, { status: s, effects: [] });

describe("alarm state machine (DESIGN §5, ALM-3…5)", () => {
  it("latching: the condition ending leaves it active until ack, then resolved", () => {
    const r = run(base, { type: "condition", present: false });
    expect(r.status).toMatchObject({ state: "active", conditionActive: false });
    expect(run(r.status, { type: "ack" }).status.state).toBe("resolved");
  });

  it("non-latching: resolves when the condition ends, from active or paused", () => {
    const nl = { ...base, latching: false };
    expect(run(nl, { type: "condition", present: false }).status.state).toBe("resolved");
    expect(run(nl, { type: "alarm_pause", until: 100 }, { type: "condition", present: false }).status.state).toBe("resolved");
  });

  it("ack while present → acknowledged; then the condition ends → resolved", () => {
    const r = run(base, { type: "ack" }, { type: "condition", present: false });
    expect(r.effects).toEqual(["changed", "resolved"]);
  });

  it("pause expiry re-announces and restarts the escalation clock", () => {
    const r = run(base, { type: "audio_pause", until: 120_000 }, { type: "tick", now: 119_999, ...T }, { type: "tick", now: 120_000, ...T });
    expect(r.effects).toEqual(["changed", "announce"]);
    expect(r.status).toMatchObject({ state: "active", announcedAt: 120_000, escalation: 0 });
    expect(r.status.until).toBeUndefined();
    expect(run(r.status, { type: "tick", now: 180_000, ...T }).effects).toEqual(["escalate1"]);
  });

  it("a non-latching paused alarm whose condition already ended resolves at expiry", () => {
    const s: AlarmStatus = { ...base, latching: false, conditionActive: false, state: "alarm_paused", until: 10 };
    expect(run(s, { type: "tick", now: 10, ...T }).status.state).toBe("resolved");
  });

  it("escalates high only, from active only, T1 then T2 (both at once after a long gap)", () => {
    expect(run(base, { type: "tick", now: 59_999, ...T }).effects).toEqual([]);
    expect(run(base, { type: "tick", now: 60_000, ...T }, { type: "tick", now: 61_000, ...T }).effects).toEqual(["escalate1"]);
    expect(run(base, { type: "tick", now: 500_000, ...T }).status.escalation).toBe(2);
    expect(run(base, { type: "tick", now: 500_000, ...T }).effects).toEqual(["escalate1", "escalate2"]);
    expect(run({ ...base, priority: "medium" }, { type: "tick", now: 500_000, ...T }).effects).toEqual([]);
    expect(run(base, { type: "ack" }, { type: "tick", now: 500_000, ...T }).effects).toEqual(["changed"]);
  });

  it("worsening breaks through acknowledgement and pauses", () => {
    const s = run({ ...base, priority: "medium" }, { type: "ack" }).status;
    const r = run(s, { type: "worsen", priority: "high", latching: true, now: 5 });
    expect(r.status).toMatchObject({ state: "active", priority: "high", announcedAt: 5, latching: true });
    const p = run({ ...base, priority: "medium" }, { type: "alarm_pause", until: 1e9 }, { type: "worsen", priority: "high", latching: true, now: 7 });
    expect(p.status.state).toBe("active");
    expect(p.effects).toEqual(["changed", "announce"]);
  });

  it("a latched unacknowledged alarm keeps its priority on downgrade; after ack it steps down", () => {
    expect(run(base, { type: "downgrade", priority: "medium" }).status.priority).toBe("high");
    expect(run(base, { type: "ack" }, { type: "downgrade", priority: "medium" }).status.priority).toBe("medium");
  });

  it("ignores everything once resolved, and pauses on an acknowledged alarm", () => {
    const done = run(base, { type: "ack" }, { type: "condition", present: false }).status;
    for (const i of [{ type: "ack" }, { type: "tick", now: 1e9, ...T }, { type: "worsen", priority: "high", latching: true, now: 1 }] as AlarmInput[]) expect(step(done, i).effects).toEqual(["ignored"]);
    expect(run(base, { type: "ack" }, { type: "audio_pause", until: 5 }).status.state).toBe("acknowledged");
  });
});
