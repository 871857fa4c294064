/**
 * Rule evaluations per second: 1,000 patients × 6 vitals through the full per-patient engine
 * (quality gate, NEWS2, limits, technical conditions, persistence, state machine, audit entries),
 * against bare news2() scoring calls on the same values measured in the same run (the ceiling).
 */
import type { Clock } from "../ports/clock.js";
import { DEFAULT_ALERTING_CONFIG } from "../core/alerting/config.js";
import { createPatientAlerting, type PatientAlerting } from "../core/alerting/patientAlerting.js";
import type { Reading, Vital } from "../core/model.js";
import { news2 } from "../core/rules/news2.js";
import { opsPerSecond, type Bench } from "./bench.js";

const PATIENTS = 1000;
const VITALS: readonly [Vital, string, number, number][] = [
  // vital, unit, centre, spread: a spread wide enough that some patients alarm
  ["heart_rate", "/min", 85, 30],
  ["respiratory_rate", "/min", 17, 8],
  ["spo2", "%", 95, 4],
  ["systolic_bp", "mm[Hg]", 120, 30],
  ["body_temperature", "Cel", 37.2, 1.2],
  ["pulse_rate", "/min", 85, 30],
];

/** Deterministic values (xorshift), so runs are comparable. */
function values(n: number): Float64Array {
  const out = new Float64Array(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = ((x >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}

export const rulesBench: Bench = {
  name: `rules: ${PATIENTS.toLocaleString("en")} patients × ${VITALS.length} vitals, full alerting engine`,
  run() {
    const noise = values(PATIENTS * VITALS.length * 64);
    let t = 0;
    const clock: Clock = { now: () => 1_764_000_000_000 + t, monotonic: () => t };
    let ids = 0;
    const engines: PatientAlerting[] = Array.from({ length: PATIENTS }, (_, p) => createPatientAlerting(`p${p}`, DEFAULT_ALERTING_CONFIG, { clock, newId: () => `a${++ids}` }));
    let round = 0;
    let events = 0;
    // One round: every patient sends one reading of every vital, 10 s after the last round.
    const engineRound = (): void => {
      t += 10_000;
      const base = (round++ % 64) * PATIENTS * VITALS.length;
      for (let p = 0; p < PATIENTS; p++) {
        const e = engines[p]!;
        for (let v = 0; v < VITALS.length; v++) {
          const [vital, unit, centre, spread] = VITALS[v]!;
          const value = centre + spread * noise[base + p * VITALS.length + v]!;
          const r: Reading = { patientId: `p${p}`, deviceId: `d${p}`, vital, value, unit, time: 1_764_000_000_000 + t, receivedAt: 1_764_000_000_000 + t, quality: [] };
          events += e.onReading(r).length;
        }
      }
    };
    const perRound = PATIENTS * VITALS.length;
    const engine = opsPerSecond(engineRound, 2000, perRound);
    const tickRound = (): void => {
      t += 1000;
      for (const e of engines) events += e.onTick().length;
    };
    const ticks = opsPerSecond(tickRound, 1000, PATIENTS);
    let sink = 0;
    const bareRound = (): void => {
      const base = (round++ % 64) * perRound;
      for (let p = 0; p < PATIENTS; p++) {
        const o = base + p * VITALS.length;
        for (let v = 0; v < VITALS.length; v++) {
          // The same number of calls as readings above, each scoring a full parameter set.
          sink += news2({ pulse: 85 + 30 * noise[o]!, respiratoryRate: 17 + 8 * noise[o + 1]!, spo2: 95 + 4 * noise[o + 2]!, spo2Scale: 1, onOxygen: false, systolicBp: 120 + 30 * noise[o + 3]!, temperatureC: 37.2 + 1.2 * noise[o + 4]! }).total;
        }
      }
    };
    const bare = opsPerSecond(bareRound, 2000, perRound);
    if (sink < 0) throw new Error("unreachable"); // keeps the scoring from being optimised away
    return Promise.resolve([
      { name: "rule evaluations/s (reading → engine → events)", value: engine, unit: "evals/s", baseline: { name: "bare news2() calls", value: bare } },
      { name: "bare news2() calls/s", value: bare, unit: "calls/s" },
      { name: "patient ticks/s (timers, staleness, escalation)", value: ticks, unit: "ticks/s", baseline: { name: "bare news2() calls", value: bare } },
      { name: "alert events produced during the run", value: events, unit: "events" },
    ]);
  },
};
