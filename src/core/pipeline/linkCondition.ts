/**
 * Any link's states → one technical condition for the alerting engine (DESIGN §5: a lost broker,
 * sensor, Bluetooth adapter, upstream link or nurse console is a technical alarm). Present once
 * the link has been continuously down for `graceMs`, so a blip or a broker restart pages no one;
 * absent as soon as it is up again, and only if it had been raised. The message names the reason
 * the outage started with. A source that completes (shutdown) cancels a pending loss: a gateway
 * going down is not a lost sensor.
 *
 * This is the only grace: the condition is marked `settled`, so the engine raises and clears it at
 * once instead of adding its technicalRaiseMs on top (issue 13 item 2). Time comes from the
 * injected scheduler.
 */
import { Observable, type OperatorFunction, type SchedulerLike, type Subscription } from "rxjs";
import type { ExternalCondition } from "../alerting/conditions.js";
import type { LinkState } from "../link.js";

export interface LinkConditionSpec {
  /** From conditionNameFor: the engine and the config agree on it by construction. */
  readonly name: string;
  readonly graceMs: number;
  /** The alarm text; `why` is the reason the outage started with (no patient data). */
  readonly lost: (why: string | undefined) => string;
  readonly restored: string;
}

export function linkCondition(spec: LinkConditionSpec, scheduler: SchedulerLike): OperatorFunction<LinkState, ExternalCondition> {
  const condition = (present: boolean, message: string): ExternalCondition => ({ name: spec.name, present, message, settled: true });
  return (states) =>
    new Observable<ExternalCondition>((subscriber) => {
      let down = false;
      let raised = false;
      let pending: Subscription | undefined;
      const sub = states.subscribe({
        next: (s) => {
          if (!s.up) {
            if (down) return; // connecting ↔ down during retries is one outage: the grace runs from its start
            down = true;
            pending = scheduler.schedule(() => {
              raised = true;
              subscriber.next(condition(true, spec.lost(s.why)));
            }, spec.graceMs);
            return;
          }
          down = false;
          pending?.unsubscribe();
          if (!raised) return;
          raised = false;
          subscriber.next(condition(false, spec.restored));
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => {
          pending?.unsubscribe();
          subscriber.complete();
        },
      });
      return () => {
        pending?.unsubscribe();
        sub.unsubscribe();
      };
    });
}
