/**
 * Writes readings to readings.db in batches, beside the alert path. A batch that fails to commit
 * is kept and retried with the next one (bounded), so a transient SQLite error loses nothing.
 * Once a batch commits, the source is told to acknowledge everything it received before the
 * batch was cut (MQTT PUBACK after commit: src/adapters/mqtt/deferredAcks.ts).
 */
import type { Observable, SchedulerLike, Subscription } from "rxjs";
import type { Metrics } from "../http/metrics.js";
import type { Diagnostic } from "../../core/errors.js";
import type { Reading } from "../../core/model.js";
import { batchReadings } from "../../core/pipeline/batchReadings.js";
import type { ReadingStore } from "../../ports/readingStore.js";

/** Readings kept for the retry while readings.db fails (about 2 h of 5 patients × 6 vitals at 1 Hz). */
export const MAX_RETAINED = 200_000;

/** A source that acknowledges its inputs only once they are stored. */
export interface CommitAcks {
  /** Marks everything received so far (synchronously before the batch reached us). */
  checkpoint(): number;
  acknowledge(mark: number): void;
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
  // Empty batches too: refused frames are acknowledged even when no reading arrives.
  return readings$.pipe(batchReadings(options.batchMs, options.batchMax, scheduler, true)).subscribe((batch) => {
    const mark = acks.checkpoint();
    const all = retained.length > 0 ? [...retained, ...batch] : batch;
    if (all.length === 0) return acks.acknowledge(mark);
    const end = metrics.storeBatchSeconds.startTimer();
    try {
      const added = store.appendBatch(all);
      retained = [];
      metrics.readingsStored.inc(added);
      if (added < all.length) metrics.readingsDuplicate.inc(all.length - added);
      acks.acknowledge(mark);
    } catch (e) {
      retained = all.slice(-MAX_RETAINED);
      const dropped = all.length - retained.length;
      const lost = dropped > 0 ? `; the oldest ${dropped} dropped (more than ${MAX_RETAINED} waiting)` : "";
      report({ code: "store_failed", message: `readings batch of ${all.length} not written, will retry${lost}: ${(e as Error).message}`, where: "readings.db" });
    } finally {
      end();
    }
  });
}
