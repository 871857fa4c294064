/**
 * PUBACK after commit, and its one exception (issue 9): a store that keeps failing (a full disk)
 * must not let the broker's window of unacknowledged messages stop live readings. In virtual time.
 */
import { interval, map, take } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { expect, it } from "vitest";
import { createMetrics } from "../../src/adapters/http/metrics.js";
import { ACK_WHILE_FAILING_AT, ACK_WHILE_FAILING_MS, storeReadings } from "../../src/adapters/sqlite/storeReadings.js";
import type { ReadingStore } from "../../src/ports/readingStore.js";
import { reading } from "../helpers/frames.js";

function failingStore(failUntil: () => boolean) {
  const written: number[] = [];
  const store = {
    appendBatch: (batch: readonly { value: number }[]) => {
      if (failUntil()) throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
      written.push(...batch.map((r) => r.value));
      return batch.length;
    },
  } as unknown as ReadingStore;
  return { store, written };
}

it(`a store failing for ${ACK_WHILE_FAILING_MS} ms: nothing acknowledged before, then what is kept is acknowledged and written later`, () => {
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  const acked: { at: number; mark: number }[] = [];
  let received = 0;
  const full = () => ts.now() < ACK_WHILE_FAILING_MS + 2000;
  const { store, written } = failingStore(full);
  ts.run(({ flush }) => {
    const readings$ = interval(100, ts).pipe(take(140), map((i) => (received++, reading("p1", "heart_rate", i))));
    storeReadings(readings$, store, { batchMs: 250, batchMax: 1000 }, ts, createMetrics(), () => undefined, { checkpoint: () => received, acknowledge: (mark) => void acked.push({ at: ts.now(), mark }) });
    flush();
  });
  expect(acked.filter((a) => a.at < ACK_WHILE_FAILING_MS)).toEqual([]); // PUBACK after commit while it may be a blip
  expect(acked.find((a) => a.at >= ACK_WHILE_FAILING_MS && a.at < ACK_WHILE_FAILING_MS + 2000)).toBeDefined(); // then acknowledged though not written
  expect(written).toEqual(Array.from({ length: 140 }, (_, i) => i)); // every kept reading written once the store takes them, in order
});

it(`${ACK_WHILE_FAILING_AT} unacknowledged messages: acknowledged at once, before the time limit`, () => {
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  const acked: number[] = [];
  let received = 0;
  const { store } = failingStore(() => true);
  ts.run(({ cold, flush }) => {
    const readings$ = cold("a 300ms b 300ms c|", { a: reading("p1", "heart_rate", 1), b: reading("p1", "heart_rate", 2), c: reading("p1", "heart_rate", 3) }).pipe(map((r) => (received++, r)));
    const source = { checkpoint: () => received, acknowledge: (mark: number) => void acked.push(mark), get unacknowledged() { return received === 0 ? 0 : received * 5000; } };
    storeReadings(readings$, store, { batchMs: 250, batchMax: 1000 }, ts, createMetrics(), () => undefined, source);
    flush();
  });
  expect(acked[0]).toBe(2); // 1 message: 5,000 waiting, kept unacknowledged; 2 messages: 10,000, acknowledged
});
