/**
 * RxJS operator: drives an `Alerting` (./alerting.ts) from a stream of inputs (readings, acks,
 * pauses, clinical inputs), and ticks it every `tickMs` on the injected scheduler (persistence,
 * pause expiry, escalation, dropout). Completes when the source completes; a bad input never
 * errors the stream (the engine reports it as an event).
 *
 * @example
 *   const alerting = createAlerting(config.alerting, { clock, newId: () => uuidv7(clock.now()) });
 *   merge(readings$.pipe(map((reading) => ({ type: "reading", reading }) as const)), actions$)
 *     .pipe(alertingPerPatient(alerting, { scheduler: asyncScheduler }))
 *     .subscribe((e) => { outbox.record(...); audit.append(e.audit); hub.broadcast(...) });
 */
import { Observable, type OperatorFunction, type SchedulerAction, type SchedulerLike } from "rxjs";
import type { Alerting, AlertingInput } from "./alerting.js";
import type { AlertEvent } from "./events.js";

export interface AlertingStreamOptions {
  /** Paces the ticks only; the engine's times come from its Clock (in tests: the same TestScheduler). */
  readonly scheduler: SchedulerLike;
  /** Tick period in ms (default 1000). */
  readonly tickMs?: number;
}

export function alertingPerPatient(alerting: Alerting, { scheduler, tickMs = 1000 }: AlertingStreamOptions): OperatorFunction<AlertingInput, AlertEvent> {
  return (source) =>
    new Observable<AlertEvent>((subscriber) => {
      const emit = (events: AlertEvent[]): void => {
        for (const e of events) subscriber.next(e);
      };
      const tick = scheduler.schedule(function (this: SchedulerAction<undefined>) {
        emit(alerting.tick());
        this.schedule(undefined, tickMs);
      }, tickMs);
      const sub = source.subscribe({
        next: (input) => emit(alerting.handle(input)),
        error: (err) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
      return () => {
        tick.unsubscribe();
        sub.unsubscribe();
      };
    });
}
