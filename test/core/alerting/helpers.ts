/** Test kit: a virtual clock, reading builders and an engine driver that advances time. */
import type { Clock } from "../../../src/ports/clock.js";
import type { Reading, Vital } from "../../../src/core/model.js";
import { createPatientAlerting, type PatientAlerting } from "../../../src/core/alerting/patientAlerting.js";
import { resolveAlertingConfig, type AlertingConfig, type DeepPartial } from "../../../src/core/alerting/config.js";
import type { AlertEvent } from "../../../src/core/alerting/events.js";

export const WALL0 = 1_764_000_000_000;

export class VirtualClock implements Clock {
  t = 0;
  now(): number {
    return WALL0 + this.t;
  }
  monotonic(): number {
    return this.t;
  }
}

const UNITS: Partial<Record<Vital, string>> = { heart_rate: "/min", pulse_rate: "/min", respiratory_rate: "/min", spo2: "%", systolic_bp: "mm[Hg]", body_temperature: "Cel" };

export function reading(vital: Vital, value: number, time: number, unit = UNITS[vital] ?? ""): Reading {
  // Virtual-time tests give every reading its own time, as a device clock would.
  return { patientId: "p1", deviceId: "dev1", vital, value, unit, time, receivedAt: time, quality: ["device_time"] };
}

export const nurse = { user: "n1", role: "nurse", client: "console-1" };

export interface Rig {
  clock: VirtualClock;
  engine: PatientAlerting;
  events: AlertEvent[];
  /**
   * Feeds one reading per vital, then a tick, every `everyMs` for `forMs`; returns the new events. Values get a
   * ±0.2 jitter that never changes a NEWS2 subscore (real sensors are never perfectly flat);
   * `exact` turns it off.
   */
  feed(values: Partial<Record<Vital, number>>, forMs: number, everyMs?: number, exact?: boolean): AlertEvent[];
  /** Advances time with ticks only (no readings). */
  wait(forMs: number, everyMs?: number): AlertEvent[];
  do(f: (e: PatientAlerting) => AlertEvent[]): AlertEvent[];
}

export function rig(partial: DeepPartial<AlertingConfig> = {}, patientId = "p1"): Rig {
  const clock = new VirtualClock();
  let n = 0;
  const config = resolveAlertingConfig(partial);
  const engine = createPatientAlerting(patientId, config, { clock, newId: () => `a${++n}` });
  const events: AlertEvent[] = [];
  const take = (es: AlertEvent[]): AlertEvent[] => {
    events.push(...es);
    return es;
  };
  return {
    clock,
    engine,
    events,
    feed(values, forMs, everyMs = 10_000, exact = false) {
      const out: AlertEvent[] = [];
      for (let t = 0; t < forMs; t += everyMs) {
        clock.t += everyMs;
        const j = exact ? 0 : (clock.t / everyMs) % 2 === 0 ? 0.2 : -0.2;
        for (const [v, x] of Object.entries(values)) {
          const value = x === 0 || !Number.isFinite(x) ? x : x + j;
          out.push(...take(engine.onReading({ ...reading(v as Vital, value, WALL0 + clock.t), patientId })));
        }
        out.push(...take(engine.onTick())); // the pipeline ticks every engine; timers run there
      }
      return out;
    },
    wait(forMs, everyMs = 1000) {
      const out: AlertEvent[] = [];
      for (let t = 0; t < forMs; t += everyMs) {
        clock.t += everyMs;
        out.push(...take(engine.onTick()));
      }
      return out;
    },
    do(f) {
      return take(f(engine));
    },
  };
}

export const NORMAL = { respiratory_rate: 16, spo2: 97, heart_rate: 72 } as const;
/** RR 26 (3) + SpO2 91 (3) + HR 131 (3) = 9: NEWS2 high. */
export const HIGH = { respiratory_rate: 26, spo2: 91, heart_rate: 131 } as const;
/** RR 22 (2) + SpO2 93 (2) + HR 95 (1) = 5: NEWS2 medium, no single 3. */
export const MEDIUM = { respiratory_rate: 22, spo2: 93, heart_rate: 95 } as const;

export const ofType = <T extends AlertEvent["type"]>(es: AlertEvent[], t: T): Extract<AlertEvent, { type: T }>[] =>
  es.filter((e): e is Extract<AlertEvent, { type: T }> => e.type === t);
