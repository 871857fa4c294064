/**
 * Groups readings into write batches: at most `maxMs` of waiting or `maxSize` readings, whichever
 * comes first, so SQLite sees one transaction per batch instead of one per reading.
 */
import { bufferTime, filter, type OperatorFunction, type SchedulerLike } from "rxjs";

export function batchReadings<T>(maxMs: number, maxSize: number, scheduler: SchedulerLike): OperatorFunction<T, T[]> {
  return (items) =>
    items.pipe(
      bufferTime(maxMs, null, maxSize, scheduler),
      filter((batch) => batch.length > 0),
    );
}
