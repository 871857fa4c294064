/**
 * The upstream link as the composition root sees it (DESIGN §6): enqueue readings and alert
 * events (never throws: the alert path must not fail because the central link did), watch the
 * link, stop. Owns upstream.db and the MQTT client.
 */
import { join } from "node:path";
import { asyncScheduler, skip, type Observable, type SchedulerLike } from "rxjs";
import type { AlertEvent } from "../../core/alerting/events.js";
import { persistThenPush } from "../../core/alerting/persistThenPush.js";
import type { Reading } from "../../core/model.js";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import type { OutboxItem, UpstreamOutbox, UpstreamOutboxStats } from "../../ports/upstreamOutbox.js";
import { resolveUpstream, type ResolvedUpstream, type UpstreamOptions } from "./config.js";
import type { CommitAcks } from "../sqlite/storeReadings.js";
import { SqliteUpstreamOutbox } from "./outbox.js";
import { startMark, takeStored, type StoredReadings } from "./storedReadings.js";
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
  /**
   * The gateway's path for readings: from now on, take committed readings from `store` (call
   * `takeStored()` after each commit). At once takes what a crash left between the two commits.
   */
  follow(store: StoredReadings): void;
  /** After a readings.db commit: enqueue every stored reading above the outbox's mark. Never throws. */
  takeStored(): void;
  /** alarms.db opened with these alerts open: stop re-announcing an earlier run's others (never throws). */
  reconcileOpenAlerts(openIds: readonly string[]): void;
  /** Readings that are not in a local store (benchmarks, tests); the gateway uses follow(). */
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
  /** Injected for tests; default upstream.db in dataDir. */
  readonly outbox?: UpstreamOutbox;
  /** For the alerts' retry timer; asyncScheduler by default. */
  readonly scheduler?: SchedulerLike;
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
  let failing = false;
  let stopped = false;
  let store: StoredReadings | undefined;
  const attempt = (write: () => unknown, what: string, detail: Record<string, unknown>): void => {
    try {
      write();
      failing = false;
    } catch (e) {
      enqueueErrors++;
      // Once per outage: a full disk would otherwise log at every batch.
      if (!failing) deps.log.log("error", what, { error: (e as Error).message, ...detail });
      failing = true;
      return;
    }
    publisher.kick();
  };
  const enqueue = (items: readonly OutboxItem[]): void => {
    if (stopped || items.length === 0) return;
    attempt(() => outbox.enqueue(items), "upstream outbox enqueue failed; items not queued for the central broker", { items: items.length });
  };
  const take = (): void => {
    const from = store;
    if (stopped || !from) return;
    // Nothing is lost on failure: the mark did not move, the next commit (or start) takes them again.
    attempt(() => takeStored(outbox, from, topics, cfg.publishReadings), "upstream outbox could not take stored readings; will retry after the next commit", {});
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
    follow(readings) {
      store = readings;
      attempt(() => startMark(outbox, readings), "upstream outbox could not record its start in readings.db; will retry after the next commit", {});
      take();
    },
    takeStored: take,
    reconcileOpenAlerts(openIds) {
      if (stopped) return;
      try {
        const n = outbox.forgetClosedAlerts(openIds);
        if (n > 0) deps.log.log("warn", "upstream: open alerts of an earlier run are closed in alarms.db; no longer re-announced", { alerts: n });
      } catch (e) {
        deps.log.log("error", "upstream open alerts not reconciled with alarms.db", { error: (e as Error).message });
      }
    },
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

/**
 * The store's commit acknowledgements, then upstream: once a batch is in readings.db (and its MQTT
 * PUBACKs are out), the outbox takes it from there. Without an upstream link, the acks unchanged.
 */
export function thenUpstream(acks: CommitAcks, upstream: Pick<Upstream, "takeStored"> | undefined): CommitAcks {
  if (!upstream) return acks;
  return {
    checkpoint: () => acks.checkpoint(),
    acknowledge(mark) {
      acks.acknowledge(mark);
      upstream.takeStored();
    },
  };
}
