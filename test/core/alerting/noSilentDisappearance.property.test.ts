/**
 * Property (issue 5 §8): no sequence of inputs makes an alarm disappear without a resolve event,
 * and a latched (high physiological) alarm is never resolved without an operator's ack.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Vital } from "../../../src/core/model.js";
import type { AlertEvent } from "../../../src/core/alerting/events.js";
import { reading, rig, WALL0 } from "./helpers.js";

// Per vital: normal and abnormal levels (so alarms raise and clear), plus arbitrary and bad values.
const LEVELS: Partial<Record<Vital, number[]>> = {
  respiratory_rate: [8, 16, 26],
  spo2: [88, 91, 97],
  heart_rate: [45, 72, 131],
  pulse_rate: [72, 120],
  systolic_bp: [85, 120, 225],
  body_temperature: [34.9, 37, 39.5],
  steps: [10],
};
const vitals = Object.keys(LEVELS) as Vital[];
const NORMAL = { respiratory_rate: 16, spo2: 97, heart_rate: 72, pulse_rate: 72, systolic_bp: 120, body_temperature: 37 };
const bad = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -5, 0, 1e12);
const readingOp = fc.constantFrom(...vitals).chain((vital) =>
  fc.record({
    t: fc.constant("reading" as const),
    vital: fc.constant(vital),
    value: fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...LEVELS[vital]!) }, { weight: 1, arbitrary: fc.double({ min: -10, max: 400 }) }, { weight: 1, arbitrary: bad }),
    dt: fc.integer({ min: -20_000, max: 60_000 }),
  }),
);
const op = fc.oneof(
  { weight: 12, arbitrary: readingOp },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 400_000 }) }) },
  // A stretch of normal readings of every vital, so conditions also end.
  { weight: 2, arbitrary: fc.record({ t: fc.constant("normal" as const), ms: fc.integer({ min: 5_000, max: 200_000 }) }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant("ack" as const), pick: fc.nat(), role: fc.constantFrom("nurse", "viewer") }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("pause" as const), pick: fc.nat(), kind: fc.constantFrom("audio_pause" as const, "alarm_pause" as const), all: fc.boolean(), ms: fc.integer({ min: -1, max: 600_000 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("acvpu" as const), v: fc.constantFrom("A" as const, "C" as const, "V" as const, "P" as const, "U" as const) }) },
);

describe("alerting properties", () => {
  it("every alarm that leaves the open set has a resolve event; latched ones only after an ack", () => {
    const seen = { raised: 0, high: 0, acks: 0, latchedResolved: 0, resolved: 0 };
    fc.assert(
      fc.property(fc.array(op, { minLength: 30, maxLength: 150, size: "max" }), (ops) => {
        const r = rig({ persistence: { raiseMs: { high: 10_000, medium: 20_000, low: 20_000 }, clearMs: 20_000, technicalRaiseMs: 5_000, technicalClearMs: 5_000 } });
        const events: AlertEvent[] = [];
        let deviceTime = WALL0;
        for (const o of ops) {
          switch (o.t) {
            case "reading":
              r.clock.t += Math.max(0, o.dt);
              deviceTime += o.dt; // negative: out of order
              events.push(...r.engine.onReading(reading(o.vital, o.value, deviceTime)));
              break;
            case "normal":
              for (let t = 0; t < o.ms; t += 5_000) {
                r.clock.t += 5_000;
                deviceTime += 5_000;
                for (const [vital, v] of Object.entries(NORMAL)) events.push(...r.engine.onReading(reading(vital as Vital, v, deviceTime)));
              }
              break;
            case "tick":
              r.clock.t += o.ms;
              events.push(...r.engine.onTick());
              break;
            case "ack": {
              const open = r.engine.openAlerts();
              const id = open.length ? open[o.pick % open.length]!.id : `x${o.pick}`;
              events.push(...r.engine.onAck(id, { user: "u", role: o.role, client: "c" }));
              if (open.length && o.role === "nurse") seen.acks++;
              break;
            }
            case "pause": {
              const open = r.engine.openAlerts();
              const id = open.length ? open[o.pick % open.length]!.id : undefined;
              const actor = { user: "u", role: "nurse", client: "c" };
              events.push(...r.engine.onPause({ ...(o.all || !id ? {} : { alertId: id }), kind: o.kind, durationMs: o.ms, actor }));
              break;
            }
            case "acvpu":
              events.push(...r.engine.onClinicalInput({ type: "acvpu", value: o.v, actor: { user: "u", role: "nurse", client: "c" } }));
              break;
            default:
              o satisfies never;
          }
        }
        const raised = new Map<string, { latched: boolean }>();
        const resolved = new Set<string>();
        const acked = new Set<string>();
        for (const e of events) {
          if (e.type === "raise") {
            expect(raised.has(e.alert.id)).toBe(false);
            raised.set(e.alert.id, { latched: e.alert.kind === "physiological" && e.alert.priority === "high" });
            seen.raised++;
            if (e.alert.priority === "high") seen.high++;
          }
          if ((e.type === "update" || e.type === "escalate") && e.alert.kind === "physiological" && e.alert.priority === "high") raised.get(e.alert.id)!.latched = true;
          if ((e.type === "update" || e.type === "resolve") && e.audit.actor && e.audit.actor.role === "nurse") acked.add(e.alert.id);
          if (e.type === "resolve") {
            expect(resolved.has(e.alert.id)).toBe(false);
            resolved.add(e.alert.id);
            if (raised.get(e.alert.id)?.latched) {
              expect(acked.has(e.alert.id)).toBe(true);
              seen.latchedResolved++;
            }
            seen.resolved++;
          }
          if (e.type !== "raise" && "alert" in e) expect(raised.has(e.alert.id)).toBe(true);
        }
        const open = new Set(r.engine.openAlerts().map((a) => a.id));
        for (const id of raised.keys()) expect(open.has(id) !== resolved.has(id)).toBe(true);
        // One open alert per cause.
        const causes = r.engine.openAlerts().map((a) => a.cause);
        expect(new Set(causes).size).toBe(causes.length);
      }),
      { numRuns: 200 },
    );
    // The generator must reach the interesting states, or the property proves nothing.
    expect(seen.raised).toBeGreaterThan(500);
    expect(seen.acks).toBeGreaterThan(200);
    expect(seen.latchedResolved).toBeGreaterThan(5);
    expect(seen.resolved).toBeGreaterThan(200);
  });
});
