/**
 * RxJS operator: the alerting engine for every patient on one stream. Inputs (readings, acks,
 * pauses, clinical inputs) go to the patient's engine (./patientAlerting.ts); a timer on the
 * injected scheduler ticks every engine (persistence, pause expiry, escalation, dropout).
 * Completes when the source completes; never errors because of one bad input: an engine that
 * throws is reported as a `note` event (audit type `engine_error`) and the stream goes on.
 *
 * @example
 *   readings$.pipe(map((reading) => ({ type: "reading", reading }) as const), mergeWith(actions$),
 *     alertingPerPatient(config, { scheduler: asyncScheduler, wall: Date.now, newId: uuidv7 }))
 */
import { Observable, type OperatorFunction, type SchedulerAction, type SchedulerLike } from "rxjs";
import type { Alert, Reading } from "../model.js";
import type { AlertingConfig } from "./config.js";
import type { Actor, AlertEvent } from "./events.js";
import { createPatientAlerting, type ClinicalInput, type PatientAlerting, type PauseRequest } from "./patientAlerting.js";

export const ALERTING_INPUTS = ["reading", "ack", "pause", "clinical"] as const;
export type AlertingInput =
  | { readonly type: "reading"; readonly reading: Reading }
  | { readonly type: "ack"; readonly patientId: string; readonly alertId: string; readonly actor: Actor }
  | { readonly type: "pause"; readonly patientId: string; readonly request: PauseRequest }
  | { readonly type: "clinical"; readonly patientId: string; readonly input: ClinicalInput };

export interface AlertingStreamDeps {
  /** Monotonic time for every timer: scheduler.now(). */
  readonly scheduler: SchedulerLike;
  /** Wall-clock ms for records (Date.now in production); defaults to scheduler.now(). */
  readonly wall?: () => number;
  readonly newId: () => string;
  /** Tick period in ms (default 1000). */
  readonly tickMs?: number;
  /** Alerts open before a restart (AlertOutbox.open()): continued, one per patient and cause. */
  readonly open?: readonly Alert[];
}

export function alertingPerPatient(config: AlertingConfig, deps: AlertingStreamDeps): OperatorFunction<AlertingInput, AlertEvent> {
  const { scheduler, newId, tickMs = 1000 } = deps;
  const clock = { now: deps.wall ?? (() => scheduler.now()), monotonic: () => scheduler.now() };
  return (source) =>
    new Observable<AlertEvent>((subscriber) => {
      const engines = new Map<string, PatientAlerting>();
      const engine = (patientId: string): PatientAlerting => {
        let e = engines.get(patientId);
        if (!e) engines.set(patientId, (e = createPatientAlerting(patientId, config, { clock, newId })));
        return e;
      };
      const guarded = (patientId: string, where: string, f: () => AlertEvent[]): void => {
        let events: AlertEvent[];
        try {
          events = f();
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          events = [{ type: "note", patientId, audit: { type: "engine_error", at: clock.now(), patientId, data: { where, message } } }];
        }
        for (const e of events) subscriber.next(e);
      };
      for (const a of deps.open ?? []) guarded(a.patientId, "restore", () => engine(a.patientId).restore([a]));
      const tick = scheduler.schedule(function (this: SchedulerAction<undefined>) {
        for (const [id, e] of engines) guarded(id, "tick", () => e.onTick());
        this.schedule(undefined, tickMs);
      }, tickMs);
      const sub = source.subscribe({
        next: (input) => {
          switch (input.type) {
            case "reading":
              return guarded(input.reading.patientId, "reading", () => engine(input.reading.patientId).onReading(input.reading));
            case "ack":
              return guarded(input.patientId, "ack", () => engine(input.patientId).onAck(input.alertId, input.actor));
            case "pause":
              return guarded(input.patientId, "pause", () => engine(input.patientId).onPause(input.request));
            case "clinical":
              return guarded(input.patientId, "clinical", () => engine(input.patientId).onClinicalInput(input.input));
            default:
              return input satisfies never;
          }
        },
        error: (err) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
      return () => {
        tick.unsubscribe();
        sub.unsubscribe();
      };
    });
}
