/**
 * One committed batch feeds both the local store and the outbox (issue 13 item 3). readings.db and
 * upstream.db are two files, and SQLite does not commit across files atomically in WAL mode, so the
 * window between the two commits is made explicit and recoverable instead: the outbox takes
 * readings *from readings.db*, by rowid, and records the last rowid taken in the same upstream.db
 * transaction as the rows. After every readings.db commit it takes what is above its mark; at start
 * it does the same, so a kill -9 between the two commits is caught up on the next start.
 * Consequences: nothing is sent that was not stored, nothing stored is left unsent, nothing is
 * queued twice.
 */
import type { ReadingStore } from "../../ports/readingStore.js";
import type { OutboxItem, UpstreamOutbox } from "../../ports/upstreamOutbox.js";
import { readingItem, type UpstreamTopics } from "./payloads.js";

/** The committed readings of readings.db by rowid; rowids never go back. */
export type StoredReadings = Pick<ReadingStore, "lastRowid" | "readingsAfter">;

/** Rows per upstream.db transaction while catching up (a day of backlog is many of these). */
const TAKE_CHUNK = 5000;

/**
 * A fresh upstream.db (first start with an upstream block, or the file was lost) starts at the
 * store's current end: the history before the link existed is not flooded upstream, and would only
 * push live readings over the bound.
 */
export function startMark(outbox: UpstreamOutbox, store: StoredReadings): void {
  if (outbox.readingsMark() === undefined) outbox.enqueue([], { readingsRowid: store.lastRowid() });
}

/** Enqueues every stored reading above the outbox's mark; returns how many. Throws what upstream.db throws. */
export function takeStored(outbox: UpstreamOutbox, store: StoredReadings, topics: UpstreamTopics, publishReadings: boolean): number {
  let taken = 0;
  for (;;) {
    const mark = outbox.readingsMark() ?? 0;
    const rows = store.readingsAfter(mark, TAKE_CHUNK);
    const last = rows.at(-1);
    if (!last) return taken;
    // With publishReadings off the mark still moves: turning it on later sends from then on.
    const items: OutboxItem[] = publishReadings ? rows.map((r) => readingItem(r.reading, topics)) : [];
    outbox.enqueue(items, { readingsRowid: last.rowid });
    taken += items.length;
    if (rows.length < TAKE_CHUNK) return taken;
  }
}
