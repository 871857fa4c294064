/**
 * Writes readings to readings.db in batches, beside the alert path. A batch that fails to commit
 * is kept and retried with the next one (bounded), so a transient SQLite error loses nothing.
 */
import type { Observable, SchedulerLike, Subscription } from "rxjs";
import type { Metrics } from "../http/metrics.js";
import type { Diagnostic } from "../../core/errors.js";
import type { Reading } from "../../core/model.js";
import { batchReadings } from "../../core/pipeline/batchReadings.js";
import type { ReadingStore } from "../../ports/readingStore.js";

/** Readings kept for the retry while readings.db fails (about 2 h of 5 patients × 6 vitals at 1 Hz). */
export const MAX_RETAINED = 200_000;

export function storeReadings(
  readings$: Observable<Reading>,
  store: ReadingStore,
  options: { readonly batchMs: number; readonly batchMax: number },
  scheduler: SchedulerLike,
  metrics: Metrics,
  report: (d: Diagnostic) => void,
): Subscription {
  let retained: Reading[] = [];
  return readings$.pipe(batchReadings(options.batchMs, options.batchMax, scheduler)).subscribe((batch) => {
    const all = retained.length > 0 ? [...retained, ...batch] : batch;
    const end = metrics.storeBatchSeconds.startTimer();
    try {
      store.appendBatch(all);
      retained = [];
      metrics.readingsStored.inc(all.length);
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
