import { describe, expect, it } from "vitest";
import { addPoint, initialState, reduce, TREND_STEP_MS, TREND_WINDOW_MS, type Action, type ConsoleState } from "../../src/console/state.js";
import type { ServerMessage } from "../../src/adapters/ws/messages.js";
import { alert, clinical, reading, snapshot } from "./fixtures.js";

const server = (message: ServerMessage, at = 5000): Action => ({ type: "server", message, at });
const run = (...actions: Action[]): ConsoleState => actions.reduce(reduce, initialState(0));

describe("console reducer", () => {
  it("replaces only the patient a reading belongs to (the other tiles keep their object and are not redrawn)", () => {
    const before = run(server(snapshot()));
    const after = reduce(before, server({ type: "reading", reading: reading("p1", "heart_rate", 88, 4000) }));
    expect(after.patients["p1"]?.latest.heart_rate?.value).toBe(88);
    expect(after.patients["p2"]).toBe(before.patients["p2"]);
    expect(after.patients["p3"]).toBe(before.patients["p3"]);
  });

  it("keeps the newest value when an older reading arrives late", () => {
    const s = run(server(snapshot()), server({ type: "reading", reading: reading("p1", "spo2", 97, 9000) }), server({ type: "reading", reading: reading("p1", "spo2", 90, 8000) }));
    expect(s.patients["p1"]?.latest.spo2?.value).toBe(97);
  });

  it("leaves artifacts out of the sparkline but shows them as the latest value", () => {
    const s = run(server(snapshot()), server({ type: "reading", reading: reading("p1", "spo2", 0, 9000) }));
    expect(s.patients["p1"]?.latest.spo2?.value).toBe(0);
    expect(s.patients["p1"]?.trend.spo2).toBeUndefined();
  });

  it("holds the nurse's entries from the gateway's clinical message; readings do not reset them", () => {
    const withV = clinical(3, { acvpu: { value: "V", setAt: 100, current: true }, onOxygen: true });
    const s = run(server(snapshot()), server({ type: "clinical", patientId: "p2", clinical: withV }), server({ type: "reading", reading: reading("p2", "heart_rate", 70, 4000) }));
    expect(s.patients["p2"]?.clinical?.acvpu?.value).toBe("V");
    expect(s.patients["p2"]?.clinical?.onOxygen).toBe(true);
  });

  it("records who acknowledged, forgets it when the alarm is active again, and drops resolved alarms", () => {
    const a = alert("a1", "p1", "high");
    let s = run(server(snapshot([a])));
    s = reduce(s, server({ type: "alert", alert: { ...a, state: "acknowledged" }, event: "update", announce: false, ack: { user: "Nurse A", role: "nurse", at: 7000 } }));
    expect(s.acks["a1"]).toEqual({ user: "Nurse A", role: "nurse", at: 7000 });
    s = reduce(s, server({ type: "alert", alert: { ...a, state: "acknowledged", message: "updated" }, event: "update", announce: false }));
    expect(s.acks["a1"]?.user).toBe("Nurse A"); // a later update without an actor keeps it
    s = reduce(s, server({ type: "alert", alert: { ...a, state: "active" }, event: "update", announce: true }));
    expect(s.acks["a1"]).toBeUndefined();
    s = reduce(s, server({ type: "alert", alert: { ...a, state: "resolved" }, event: "resolve", announce: false }));
    expect(s.alerts["a1"]).toBeUndefined();
  });

  it("takes acknowledgements from the snapshot (a console that connects later sees who)", () => {
    const s = run(server({ ...(snapshot([alert("a1", "p1", "high", "acknowledged")]) as Extract<ServerMessage, { type: "snapshot" }>), acks: { a1: { user: "N", role: "nurse", at: 1 } } }));
    expect(s.acks["a1"]?.user).toBe("N");
  });

  it("notes when the gateway was last heard (the watchdog's input) and the link state", () => {
    let s = run({ type: "link", status: "live", at: 1000 }, server({ type: "pong" }, 6000));
    expect(s.lastHeard).toBe(6000);
    s = reduce(s, { type: "link", status: "lost", at: 20_000 });
    expect(s.link).toBe("lost");
    expect(s.lastHeard).toBe(6000);
  });

  it("keeps the sparklines of a reconnect and adds what the history API loaded", () => {
    let s = run(server(snapshot()), server({ type: "reading", reading: reading("p1", "heart_rate", 80, 10 * TREND_STEP_MS) }));
    s = reduce(s, { type: "trend", patientId: "p1", trend: { heart_rate: [{ t: TREND_STEP_MS, v: 70 }, { t: 2 * TREND_STEP_MS, v: 72 }] } });
    expect(s.patients["p1"]?.trend.heart_rate?.map((p) => p.v)).toEqual([70, 72, 80]);
    s = reduce(s, server(snapshot()));
    expect(s.patients["p1"]?.trend.heart_rate).toHaveLength(3);
  });

  it("shows the last refusal from the gateway", () => {
    expect(run(server({ type: "error", code: "forbidden", message: "a viewer cannot send 'ack'" })).lastError).toContain("viewer");
  });
});

describe("addPoint", () => {
  it("blends values of one step, starts a new point per step, and drops points older than the window", () => {
    let pts = addPoint([], 0, 10);
    pts = addPoint(pts, 1000, 20);
    expect(pts).toEqual([{ t: 0, v: 15 }]);
    pts = addPoint(pts, TREND_STEP_MS, 30);
    expect(pts).toHaveLength(2);
    pts = addPoint(pts, TREND_WINDOW_MS + TREND_STEP_MS, 40);
    expect(pts.map((p) => p.t)).toEqual([TREND_WINDOW_MS + TREND_STEP_MS]);
  });
});
