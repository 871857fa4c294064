/**
 * RxJS operator: the one entrance to the alerting engine (./alerting.ts). Readings, nurse actions,
 * technical conditions and the alerts restored after a restart arrive as one stream of
 * submissions; each gives one batch of events (what the engine decided for that input), and every
 * `tickMs` on the injected scheduler a tick gives one more (persistence, pause expiry,
 * escalation, dropout). A batch is the unit the journal writes in one transaction. Completes when
 * the source completes; a bad input never errors the stream (the engine reports it as an event).
 *
 * A submission may carry `reply`: it is called with that input's events after the batch went
 * downstream (persisted, then pushed), so the WebSocket handler can answer a refused action.
 *
 * @example
 *   merge(readings$.pipe(map((reading) => ({ input: { type: "reading", reading } }))), actions$, conditions$)
 *     .pipe(alertingPerPatient(alerting, { scheduler: asyncScheduler }))
 *     .subscribe((events) => delivery.deliver(events));
 */
import { Observable, type OperatorFunction, type SchedulerAction, type SchedulerLike } from "rxjs";
import type { Alerting, AlertingInput } from "./alerting.js";
import type { AlertEvent } from "./events.js";

export interface AlertingSubmission {
  readonly input: AlertingInput;
  /** Called synchronously with this input's events, after they went downstream. */
  readonly reply?: (events: readonly AlertEvent[]) => void;
}

export interface AlertingStreamOptions {
  /** Paces the ticks only; the engine's times come from its Clock (in tests: the same TestScheduler). */
  readonly scheduler: SchedulerLike;
  /** Tick period in ms (default 1000). */
  readonly tickMs?: number;
}

export function alertingPerPatient(alerting: Alerting, { scheduler, tickMs = 1000 }: AlertingStreamOptions): OperatorFunction<AlertingSubmission, readonly AlertEvent[]> {
  return (source) =>
    new Observable<readonly AlertEvent[]>((subscriber) => {
      const emit = (events: AlertEvent[]): void => {
        if (events.length > 0) subscriber.next(events);
      };
      const tick = scheduler.schedule(function (this: SchedulerAction<undefined>) {
        emit(alerting.tick());
        this.schedule(undefined, tickMs);
      }, tickMs);
      const sub = source.subscribe({
        next: ({ input, reply }) => {
          const events = alerting.handle(input);
          emit(events);
          reply?.(events);
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
