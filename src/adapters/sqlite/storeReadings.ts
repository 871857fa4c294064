/**
 * Writes readings to readings.db in batches, beside the alert path. A batch that fails to commit
 * is kept and retried with the next one (bounded), so a transient SQLite error loses nothing.
 * Once a batch commits, the source is told to acknowledge everything it received before the
 * batch was cut (MQTT PUBACK after commit: src/adapters/mqtt/deferredAcks.ts).
 *
 * Except while the store keeps failing (a full disk): a broker sends no more than its window of
 * unacknowledged messages (MQTT 5 Receive Maximum 65,535, mosquitto's max_inflight_messages for
 * MQTT 3.1.1), and then new readings stop reaching the rules — measured: 65,535 readings on a
 * full disk, then nothing. So after ACK_WHILE_FAILING_MS, or once ACK_WHILE_FAILING_AT messages
 * wait, what is kept in memory is acknowledged too and written when the store recovers. Live
 * alarms come first; what this costs (a crash during a long full disk loses those readings from
 * the history, not from the alarms) is in the README.
 */
import type { Observable, SchedulerLike, Subscription } from "rxjs";
import type { Metrics } from "../http/metrics.js";
import type { Diagnostic } from "../../core/errors.js";
import type { Reading } from "../../core/model.js";
import { batchReadings } from "../../core/pipeline/batchReadings.js";
import type { ReadingStore } from "../../ports/readingStore.js";

/** Readings kept for the retry while readings.db fails (about 2 h of 5 patients × 6 vitals at 1 Hz). */
export const MAX_RETAINED = 200_000;
/** A failing store longer than this (a blip loses nothing) acknowledges what it keeps in memory. */
export const ACK_WHILE_FAILING_MS = 10_000;
/** …or once this many messages wait, far below MQTT 5's window of 65,535. */
export const ACK_WHILE_FAILING_AT = 10_000;

/** A source that acknowledges its inputs only once they are stored. */
export interface CommitAcks {
  /** Marks everything received so far (synchronously before the batch reached us). */
  checkpoint(): number;
  acknowledge(mark: number): void;
  /** Messages received and not yet acknowledged (all of them, refused frames too). */
  readonly unacknowledged?: number;
}

const NO_ACKS: CommitAcks = { checkpoint: () => 0, acknowledge: () => undefined };

export function storeReadings(
  readings$: Observable<Reading>,
  store: ReadingStore,
  options: { readonly batchMs: number; readonly batchMax: number },
  scheduler: SchedulerLike,
  metrics: Metrics,
  report: (d: Diagnostic) => void,
  acks: CommitAcks = NO_ACKS,
): Subscription {
  let retained: Reading[] = [];
  let failingSince: number | undefined;
  // Empty batches too: refused frames are acknowledged even when no reading arrives.
  return readings$.pipe(batchReadings(options.batchMs, options.batchMax, scheduler, true)).subscribe((batch) => {
    const mark = acks.checkpoint();
    const all = retained.length > 0 ? [...retained, ...batch] : batch;
    if (all.length === 0) return acks.acknowledge(mark);
    const end = metrics.storeBatchSeconds.startTimer();
    try {
      const added = store.appendBatch(all);
      retained = [];
      failingSince = undefined;
      metrics.readingsStored.inc(added);
      if (added < all.length) metrics.readingsDuplicate.inc(all.length - added);
      acks.acknowledge(mark);
    } catch (e) {
      retained = all.slice(-MAX_RETAINED);
      const dropped = all.length - retained.length;
      const lost = dropped > 0 ? `; the oldest ${dropped} dropped (more than ${MAX_RETAINED} waiting)` : "";
      failingSince ??= scheduler.now();
      const ackAnyway = scheduler.now() - failingSince >= ACK_WHILE_FAILING_MS || (acks.unacknowledged ?? 0) >= ACK_WHILE_FAILING_AT;
      if (ackAnyway) acks.acknowledge(mark); // kept in memory: the broker's window must not stop live readings
      const acked = ackAnyway ? "; acknowledged to the broker, kept in memory" : "";
      report({ code: "store_failed", message: `readings batch of ${all.length} not written, will retry${acked}${lost}: ${(e as Error).message}`, where: "readings.db" });
    } finally {
      end();
    }
  });
}
