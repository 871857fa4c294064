/**
 * The upstream link as the composition root sees it (DESIGN §6): enqueue readings and alert
 * events (never throws: the alert path must not fail because the central link did), watch the
 * link, stop. Owns upstream.db and the MQTT client.
 */
import { join } from "node:path";
import { asyncScheduler, skip, type Observable, type SchedulerLike, type Subscription } from "rxjs";
import type { AlertEvent } from "../../core/alerting/events.js";
import { persistThenPush } from "../../core/alerting/persistThenPush.js";
import type { Reading } from "../../core/model.js";
import { batchReadings } from "../../core/pipeline/batchReadings.js";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import type { OutboxItem, UpstreamOutbox, UpstreamOutboxStats } from "../../ports/upstreamOutbox.js";
import { resolveUpstream, type ResolvedUpstream, type UpstreamOptions } from "./config.js";
import { SqliteUpstreamOutbox } from "./outbox.js";
import { alertItems, readingItem, topicsOf, type UpstreamTopics } from "./payloads.js";
import { UpstreamPublisher, type PublisherCounters, type UpstreamLinkStatus } from "./publisher.js";

export interface UpstreamStats extends UpstreamOutboxStats, PublisherCounters {
  readonly link: UpstreamLinkStatus["state"];
  /** Enqueue attempts that failed (disk full, closed DB): logged, never thrown into the pipeline; alerts are retried. */
  readonly enqueueErrors: number;
  /** Alert events upstream.db refused so far, waiting in memory for the retry. */
  readonly alertsWaiting?: number;
}

export interface Upstream {
  readonly link$: Observable<UpstreamLinkStatus>;
  enqueueReadings(readings: readonly Reading[]): void;
  /**
   * Events without an alert (suppress, reject, note) are ignored: they stay in the local audit.
   * A batch upstream.db refuses (a full disk) is kept in memory and retried every second, in
   * order: later alerts wait behind it, so the central broker never sees a resolve before its raise.
   */
  enqueueAlertEvents(events: readonly AlertEvent[]): void;
  stats(): UpstreamStats;
  /** Bounded (about 2 s even with a broker that stopped answering); closes upstream.db. */
  stop(): Promise<void>;
}

export interface UpstreamDeps {
  readonly clock: Clock;
  readonly log: Logger;
  /** For the alert retry; asyncScheduler by default. */
  readonly scheduler?: SchedulerLike;
  /** Injected for tests; default upstream.db in dataDir. */
  readonly outbox?: UpstreamOutbox;
}

/** Validates the config (UpstreamConfigError naming the field), opens upstream.db and connects in the background. */
export function startUpstream(options: UpstreamOptions, dataDir: string, deps: UpstreamDeps): Upstream {
  const cfg: ResolvedUpstream = resolveUpstream(options);
  const outbox = deps.outbox ?? new SqliteUpstreamOutbox(join(dataDir, "upstream.db"), { maxRows: cfg.maxQueuedRows, maxBytes: cfg.maxQueuedBytes }, () => deps.clock.now());
  let publisher: UpstreamPublisher;
  try {
    publisher = new UpstreamPublisher(cfg, outbox, deps.clock, deps.log.child("upstream"));
  } catch (e) {
    outbox.close();
    throw e;
  }
  const topics: UpstreamTopics = topicsOf(cfg.topicPrefix);
  let enqueueErrors = 0;
  let stopped = false;
  const enqueue = (items: readonly OutboxItem[]): void => {
    if (stopped || items.length === 0) return;
    try {
      outbox.enqueue(items);
    } catch (e) {
      enqueueErrors++;
      deps.log.log("error", "upstream outbox enqueue failed; items not queued for the central broker", { error: (e as Error).message, items: items.length });
      return;
    }
    publisher.kick();
  };
  const enqueueAlerts = (items: readonly OutboxItem[]): void => {
    if (stopped || items.length === 0) return;
    outbox.enqueue(items); // throws: the retry keeps the batch
    publisher.kick();
  };
  // The alert path's own ordered retry (persist then push), with upstream.db as the journal.
  const alerts = persistThenPush({
    journal: { record: (events) => enqueueAlerts(alertItems(events, topics, cfg.resolvedRetainSeconds)) },
    sinks: [],
    scheduler: deps.scheduler ?? asyncScheduler,
    retryMs: 1000,
    onWriteError: () => enqueueErrors++,
  });
  alerts.storage$.pipe(skip(1)).subscribe((s) => {
    if (s.up) deps.log.log("info", "upstream outbox writable again: waiting alerts queued in order", {});
    else deps.log.log("error", "upstream outbox enqueue failed; alerts kept in memory and retried every second", { code: s.why ?? "error" });
  });
  publisher.start();
  return {
    link$: publisher.link$.asObservable(),
    enqueueReadings: (readings) => {
      if (cfg.publishReadings) enqueue(readings.map((r) => readingItem(r, topics)));
    },
    enqueueAlertEvents: (events) => alerts.deliver(events),
    stats: () => ({ ...outbox.stats(), ...publisher.counters, link: publisher.link$.value.state, enqueueErrors, alertsWaiting: alerts.backlog() }),
    async stop() {
      if (stopped) return;
      alerts.check(); // a last try for alerts still waiting
      alerts.stop();
      stopped = true;
      await publisher.stop();
      outbox.close();
    },
  };
}

/** readings$ → upstream, in batches (one outbox transaction per batch), beside the alert path. */
export function upstreamReadings(readings$: Observable<Reading>, upstream: Pick<Upstream, "enqueueReadings">, batch: { readonly batchMs: number; readonly batchMax: number }, scheduler: SchedulerLike): Subscription {
  return readings$.pipe(batchReadings(batch.batchMs, batch.batchMax, scheduler)).subscribe((b) => upstream.enqueueReadings(b));
}
