/** Readings to readings.db in batches, in virtual time: a failed batch is reported and written with the next one. */
import { concat, from, map, timer, type Observable } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/adapters/http/metrics.js";
import { MAX_RETAINED, storeReadings } from "../../src/adapters/sqlite/storeReadings.js";
import type { Diagnostic } from "../../src/core/errors.js";
import type { Reading } from "../../src/core/model.js";
import type { ReadingStore } from "../../src/ports/readingStore.js";
import { reading } from "../helpers/frames.js";

const hr = (value: number) => reading("p1", "heart_rate", value);

/** Runs storeReadings over `readings` (built in virtual time) against a store whose first `failures` writes throw. */
function run(readings: (ts: TestScheduler) => Observable<Reading>, failures: number, batchMax = 100) {
  const written: Reading[][] = [];
  const reports: Diagnostic[] = [];
  const events: string[] = [];
  const metrics = createMetrics();
  let calls = 0;
  let received = 0;
  const store: Pick<ReadingStore, "appendBatch"> = {
    appendBatch: (batch) => {
      if (++calls <= failures) throw new Error("SQLITE_IOERR: disk I/O error");
      written.push([...batch]);
      events.push(`commit ${batch.map((r) => r.value).join(",")}`);
      return batch.length;
    },
  };
  // A source that counts what it handed on; acknowledge(mark) says up to which one.
  const acks = { checkpoint: () => received, acknowledge: (mark: number) => void events.push(`ack ${mark}`) };
  const ts = new TestScheduler((x, y) => expect(x).toEqual(y));
  ts.run(() => {
    const counted = readings(ts).pipe(map((r) => (received++, r)));
    storeReadings(counted, store as ReadingStore, { batchMs: 10, batchMax }, ts, metrics, (d) => reports.push(d), acks);
  });
  return { written, reports, metrics, events };
}

describe("storeReadings", () => {
  it("keeps a batch that failed and writes it, in order, at the next window", async () => {
    const { written, reports, metrics } = run((ts) => ts.createHotObservable("a 20ms b c 20ms |", { a: hr(70), b: hr(71), c: hr(72) }), 1);
    expect(written.map((batch) => batch.map((r) => r.value))).toEqual([[70], [71, 72]]);
    expect(reports).toEqual([{ code: "store_failed", message: "readings batch of 1 not written, will retry: SQLITE_IOERR: disk I/O error", where: "readings.db" }]);
    expect((await metrics.readingsStored.get()).values[0]?.value).toBe(3);
  });

  it("acknowledges what was received before a batch was cut only after that batch committed, never after a failed one", () => {
    const { events } = run((ts) => ts.createHotObservable("a 20ms b c 20ms |", { a: hr(70), b: hr(71), c: hr(72) }), 1);
    // 10 ms: [70] fails, no ack; 20 ms: retried and committed, then ack 1; 30 ms: [71, 72] then ack 3; empty windows ack too.
    expect(events.filter((e, i) => e !== events[i - 1])).toEqual(["commit 70", "ack 1", "commit 71,72", "ack 3"]);
  });

  it("acknowledges on empty windows, so refused frames are acknowledged though no reading arrives", () => {
    const { events, written } = run((ts) => ts.createHotObservable("15ms |"), 0);
    expect(written).toEqual([]);
    expect(new Set(events)).toEqual(new Set(["ack 0"])); // at 10 ms and at completion
  });

  it("drops the oldest past its bound while the store fails, and says how many", () => {
    const many = Array.from({ length: MAX_RETAINED + 5 }, (_, i) => hr(i));
    const { written, reports } = run(() => concat(from(many), timer(20).pipe(map(() => hr(-1)))), 1, MAX_RETAINED * 2);
    expect(reports.map((d) => d.message)).toEqual([`readings batch of ${MAX_RETAINED + 5} not written, will retry; the oldest 5 dropped (more than ${MAX_RETAINED} waiting): SQLITE_IOERR: disk I/O error`]);
    expect(written.flat()).toHaveLength(MAX_RETAINED + 1);
    expect([written[0]![0]!.value, written.flat().at(-1)!.value]).toEqual([5, -1]);
  });
});
