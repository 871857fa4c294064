/**
 * All patients' engines behind one object: route an input to its patient's engine, tick them all,
 * and count. The gateway drives it only through the RxJS operator (./alertingPerPatient.ts), the
 * one alert path; tests and `eval` may call it directly.
 */
import type { Clock } from "../../ports/clock.js";
import type { ClinicalState } from "./clinicalState.js";
import type { Alert, Reading } from "../model.js";
import type { ExternalCondition } from "./conditions.js";
import type { AlertingConfig } from "./config.js";
import type { Actor, AlertEvent } from "./events.js";
import { createPatientAlerting, type AlertingStats, type ClinicalInput, type PatientAlerting, type PauseRequest } from "./patientAlerting.js";

export const ALERTING_INPUTS = ["reading", "ack", "pause", "clinical", "technical", "restore"] as const;
export type AlertingInput =
  | { readonly type: "reading"; readonly reading: Reading }
  | { readonly type: "ack"; readonly patientId: string; readonly alertId: string; readonly actor: Actor }
  | { readonly type: "pause"; readonly patientId: string; readonly request: PauseRequest }
  | { readonly type: "clinical"; readonly patientId: string; readonly input: ClinicalInput }
  | { readonly type: "technical"; readonly patientId: string; readonly condition: ExternalCondition }
  /** The open alerts of alarms.db, at start or when it could first be opened: see `restore`. */
  | { readonly type: "restore"; readonly alerts: readonly Alert[] };

export interface Alerting {
  /** Never throws: an engine failure comes back as a `note` event with audit type `engine_error`. */
  handle(input: AlertingInput): AlertEvent[];
  /** Every patient's timers; call every second (the operator does). */
  tick(): AlertEvent[];
  /** After a restart, with AlertOutbox.open(): continues those alerts (one per patient and cause). */
  restore(open: readonly Alert[]): AlertEvent[];
  openAlerts(patientId?: string): Alert[];
  /** Per-patient counts of readings, artifacts by reason and dropped readings (for /metrics: sum them). */
  stats(): ReadonlyMap<string, AlertingStats>;
  /** A patient's NEWS2 (per parameter) and nurse entries now; a patient with no engine yet gets one. */
  clinical(patientId: string): ClinicalState;
}

export interface AlertingDeps {
  /** Wall time for records, monotonic time (the scheduler's) for every timer. */
  readonly clock: Clock;
  /** UUIDv7 in production. */
  readonly newId: () => string;
}

export function createAlerting(config: AlertingConfig, deps: AlertingDeps): Alerting {
  const engines = new Map<string, PatientAlerting>();
  const engine = (patientId: string): PatientAlerting => {
    let e = engines.get(patientId);
    if (!e) engines.set(patientId, (e = createPatientAlerting(patientId, config, deps)));
    return e;
  };
  const guarded = (patientId: string, where: string, f: () => AlertEvent[]): AlertEvent[] => {
    try {
      return f();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return [{ type: "note", patientId, audit: { type: "engine_error", at: deps.clock.now(), patientId, data: { where, message } } }];
    }
  };
  const restore = (open: readonly Alert[]): AlertEvent[] => open.flatMap((a) => guarded(a.patientId, "restore", () => engine(a.patientId).restore([a])));
  return {
    handle(input) {
      switch (input.type) {
        case "reading":
          return guarded(input.reading.patientId, "reading", () => engine(input.reading.patientId).onReading(input.reading));
        case "ack":
          return guarded(input.patientId, "ack", () => engine(input.patientId).onAck(input.alertId, input.actor));
        case "pause":
          return guarded(input.patientId, "pause", () => engine(input.patientId).onPause(input.request));
        case "clinical":
          return guarded(input.patientId, "clinical", () => engine(input.patientId).onClinicalInput(input.input));
        case "technical":
          return guarded(input.patientId, "technical", () => engine(input.patientId).onExternalCondition(input.condition));
        case "restore":
          return restore(input.alerts);
        default:
          return input satisfies never;
      }
    },
    tick: () => [...engines].flatMap(([id, e]) => guarded(id, "tick", () => e.onTick())),
    restore,
    openAlerts: (patientId) => (patientId === undefined ? [...engines.values()].flatMap((e) => e.openAlerts()) : (engines.get(patientId)?.openAlerts() ?? [])),
    stats: () => new Map([...engines].map(([id, e]) => [id, e.stats()])),
    clinical: (patientId) => engine(patientId).clinical(),
  };
}
