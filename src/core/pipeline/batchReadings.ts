/**
 * Groups readings into write batches: at most `maxMs` of waiting or `maxSize` readings, whichever
 * comes first, so SQLite sees one transaction per batch instead of one per reading. With
 * `keepEmpty`, a window with no reading still emits (an empty batch): the store acknowledges
 * refused MQTT frames on it.
 */
import { bufferTime, filter, type OperatorFunction, type SchedulerLike } from "rxjs";

export function batchReadings<T>(maxMs: number, maxSize: number, scheduler: SchedulerLike, keepEmpty = false): OperatorFunction<T, T[]> {
  return (items) =>
    items.pipe(
      bufferTime(maxMs, null, maxSize, scheduler),
      filter((batch) => keepEmpty || batch.length > 0),
    );
}
