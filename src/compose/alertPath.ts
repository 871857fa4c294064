/**
 * The one alert path (README "Alerts"): readings, nurse actions, technical conditions and the
 * alerts restored from alarms.db enter the engine as ONE stream; each batch it decides is
 * decorated with the model's score, persisted, then pushed (core/alerting/persistThenPush.ts owns
 * what happens when persisting fails), and counted.
 */
import { asyncScheduler, map, merge, tap, type Observable, type SchedulerLike, type Subscription } from "rxjs";
import type { Metrics } from "../adapters/http/metrics.js";
import { countAlertEvent } from "../adapters/ws/alertMessages.js";
import type { Alerting, AlertingInput } from "../core/alerting/alerting.js";
import { alertingPerPatient, type AlertingSubmission } from "../core/alerting/alertingPerPatient.js";
import type { AlertEvent } from "../core/alerting/events.js";
import type { Journal } from "../core/alerting/journal.js";
import { persistThenPush, type PersistThenPush } from "../core/alerting/persistThenPush.js";
import type { AlertSink } from "../ports/alertSink.js";
import type { Alert, Reading } from "../core/model.js";
import type { Inbox } from "../core/pipeline/inbox.js";
import type { Logger } from "../ports/logger.js";

export interface AlertPathParts {
  readonly engine: Alerting;
  /** Nurse actions, the model's conditions, restores: whatever is submitted one at a time. */
  readonly inbox: Inbox<AlertingSubmission>;
  readonly readings$: Observable<Reading>;
  /** Technical conditions from every link (./links.ts). */
  readonly links$: Observable<AlertingSubmission>;
  readonly delivery: PersistThenPush;
  /** The anomaly model's latest score on an alert (identity without a model). */
  readonly decorate: (alert: Alert) => Alert;
  readonly scheduler: SchedulerLike;
  readonly metrics: Metrics;
  readonly log: Logger;
}

export function runAlertPath(p: AlertPathParts): Subscription {
  const readings$ = p.readings$.pipe(map((reading): AlertingSubmission => ({ input: { type: "reading", reading } })));
  return merge(readings$, p.inbox.observable, p.links$)
    .pipe(
      alertingPerPatient(p.engine, { scheduler: p.scheduler, tickMs: 1000 }),
      map((events) => events.map((e) => ("alert" in e ? { ...e, alert: p.decorate(e.alert) } : e))),
      tap((events) => p.delivery.deliver(events)),
    )
    .subscribe((events) => events.forEach((e) => countAlertEvent(e, p.metrics, p.log)));
}

/**
 * Submits one input through the path and returns the events the engine decided for it (the
 * WebSocket handler answers a refused action with them). Synchronous once the path runs.
 */
export function submitter(inbox: Inbox<AlertingSubmission>): (input: AlertingInput) => readonly AlertEvent[] {
  return (input) => {
    let events: readonly AlertEvent[] = [];
    inbox.next({ input, reply: (decided) => (events = decided) });
    return events;
  };
}

/** Persist, then push to the nurses' hub and then upstream; write failures counted and logged once per outage. */
export function alertDelivery(journal: Journal, sinks: readonly AlertSink[], metrics: Metrics, log: Logger): PersistThenPush {
  const delivery = persistThenPush({
    journal,
    sinks,
    scheduler: asyncScheduler,
    retryMs: 1000,
    onWriteError: (e) => metrics.alertWriteFailures.inc({ code: (e as { code?: string }).code ?? "error" }),
    onSinkError: (e) => log.log("error", "an alert sink threw (the other sinks still got the alert)", { code: "sink_error", error: e instanceof Error ? e.message : String(e) }),
  });
  delivery.storage$.subscribe((s) => {
    if (s.up) log.log("info", "alarms.db writable: alerts are persisted", {});
    else log.log("error", "alarms.db not writable: alerts shown from memory and retried every second", { code: s.why ?? "error" });
  });
  metrics.observeAlertBacklog(() => delivery.backlog());
  return delivery;
}
