/**
 * Deletes readings older than the retention period, once an hour (storage.retentionDays), so the
 * hub's disk never fills; alerts and the audit log are kept. A failed prune (readings.db locked
 * by another process past busy_timeout…) is reported and retried at the next hour: it must never
 * throw into RxJS, where an unhandled error ends the daemon.
 */
import { interval, type SchedulerLike, type Subscription } from "rxjs";
import type { Diagnostic } from "../../core/errors.js";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import type { ReadingStore } from "../../ports/readingStore.js";

export const PRUNE_EVERY_MS = 3_600_000;

export function pruneReadings(
  store: Pick<ReadingStore, "pruneBefore">,
  retentionDays: number,
  deps: { readonly clock: Clock; readonly scheduler: SchedulerLike; readonly log: Logger; readonly report: (d: Diagnostic) => void },
): Subscription {
  return interval(PRUNE_EVERY_MS, deps.scheduler).subscribe(() => {
    try {
      const pruned = store.pruneBefore(deps.clock.now() - retentionDays * 86_400_000);
      if (pruned > 0) deps.log.log("info", "old readings pruned", { pruned, retentionDays });
    } catch (e) {
      deps.report({ code: "store_failed", message: `old readings not pruned, will retry in an hour: ${(e as Error).message}`, where: "readings.db" });
    }
  });
}
