/**
 * readings.db paused while the disk is full (the emergency reserve is spent, spaceReserve.ts):
 * the room left belongs to alerts, their audit and the nurses' logins. A batch offered meanwhile
 * throws like SQLite would (SQLITE_FULL), so storeReadings keeps it (unacknowledged to the broker
 * for the first 10 s: storeReadings.ts) and writes it with the first batch after space returns.
 * Reads go on as usual.
 */
import type { Reading } from "../../core/model.js";
import type { ReadingQuery, ReadingStore } from "../../ports/readingStore.js";

export class DiskFullError extends Error {
  readonly code = "SQLITE_FULL";
}

export function readingsWhileFull(store: ReadingStore, full: () => boolean): ReadingStore {
  return {
    appendBatch(readings: readonly Reading[]): number {
      if (full() && readings.length > 0) throw new DiskFullError("disk full: readings kept in memory until space returns");
      return store.appendBatch(readings);
    },
    readSince: (query: ReadingQuery) => store.readSince(query),
    latest: (patientId: string) => store.latest(patientId),
    count: () => store.count(),
    healthy: () => store.healthy(),
    pruneBefore: (time: number) => (full() ? 0 : store.pruneBefore(time)), // a DELETE needs WAL space too; prune later
    lastRowid: () => store.lastRowid(),
    readingsAfter: (rowid: number, limit: number) => store.readingsAfter(rowid, limit), // upstream takes what is committed
    close: () => store.close(),
  };
}
