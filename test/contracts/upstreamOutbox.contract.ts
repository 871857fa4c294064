/** The UpstreamOutbox contract: the SQLite adapter and the in-memory fake must both pass it. */
import { afterEach, describe, expect, it } from "vitest";
import type { OutboxItem, UpstreamOutbox, UpstreamOutboxLimits } from "../../src/ports/upstreamOutbox.js";

export const reading = (n: number): OutboxItem => ({ kind: "reading", topic: "gw/readings", body: JSON.stringify({ n }) });
export const alertItem = (id: string, state = "active"): OutboxItem => ({ kind: "alert", topic: `gw/alerts/${id}`, body: JSON.stringify({ id, state }), retain: true });

export interface Made {
  readonly outbox: UpstreamOutbox;
  /** Durable adapters: closes and opens the same store again. */
  readonly reopen?: () => UpstreamOutbox;
}

const BIG: UpstreamOutboxLimits = { maxRows: 1_000_000, maxBytes: 2 ** 30 };

export function upstreamOutboxContract(name: string, make: (limits: UpstreamOutboxLimits) => Made): void {
  describe(`UpstreamOutbox contract: ${name}`, () => {
    let outbox: UpstreamOutbox;
    afterEach(() => outbox.close());

    it("hands out each kind in enqueue order and forgets only what is acknowledged", () => {
      ({ outbox } = make(BIG));
      const seqs = outbox.enqueue([reading(1), alertItem("a"), reading(2), reading(3), alertItem("a", "acknowledged")]);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(outbox.peek("reading", 0, 10).map((r) => JSON.parse(r.body) as unknown)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      const alerts = outbox.peek("alert", 0, 10);
      expect(alerts.map((r) => [r.topic, r.retain, JSON.parse(r.body) as unknown])).toEqual([
        ["gw/alerts/a", true, { id: "a", state: "active" }],
        ["gw/alerts/a", true, { id: "a", state: "acknowledged" }],
      ]);
      const firstTwo = outbox.peek("reading", 0, 2);
      expect(outbox.peek("reading", firstTwo[1]!.seq, 10).map((r) => r.body)).toEqual([reading(3).body]);
      outbox.ack([firstTwo[0]!.seq, alerts[0]!.seq, 99_999]); // an unknown seq is ignored
      expect(outbox.stats()).toMatchObject({ alerts: 1, readings: 2, droppedReadings: 0 });
      expect(outbox.peek("reading", 0, 10).map((r) => r.body)).toEqual([reading(2).body, reading(3).body]);
    });

    it("keeps the expiry of a message", () => {
      ({ outbox } = make(BIG));
      outbox.enqueue([{ ...alertItem("r", "resolved"), expirySeconds: 3600 }, alertItem("s")]);
      expect(outbox.peek("alert", 0, 10).map((r) => r.expirySeconds)).toEqual([3600, undefined]);
    });

    it("past its bound drops the oldest readings not yet handed out, never an alert, counts them and keeps their range", () => {
      ({ outbox } = make({ maxRows: 5, maxBytes: 2 ** 30 }));
      const [s1, s2] = outbox.enqueue([reading(1), reading(2)]);
      outbox.peek("reading", 0, 1); // reading 1 is in flight: it does not count towards the bound
      const [, s3] = outbox.enqueue([alertItem("a"), reading(3), reading(4), alertItem("b"), reading(5)]);
      expect(outbox.stats()).toMatchObject({ alerts: 2, readings: 4, droppedReadings: 1 });
      expect(outbox.peek("reading", 0, 10).map((r) => r.body)).toEqual([reading(1).body, reading(3).body, reading(4).body, reading(5).body]);
      outbox.rewind();
      outbox.peek("reading", 0, 1); // only reading 1 in flight again
      outbox.enqueue([alertItem("c"), alertItem("d"), alertItem("e"), alertItem("f")]);
      // Alerts alone may exceed the bound; the reading in flight stays.
      expect(outbox.stats()).toMatchObject({ alerts: 6, readings: 1, droppedReadings: 4 });
      expect(outbox.peek("alert", 0, 10)).toHaveLength(6);
      const ranges = outbox.droppedRanges(10);
      expect(ranges.map((r) => [r.first, r.count])).toEqual([[s2, 1], [s3!, 3]]);
      expect(ranges[1]!.last).toBeGreaterThan(s3!); // reading 5's seq; the alert "b" in between was kept
      expect(s1).toBeLessThan(s2!);
      outbox.ackDropped([s2!]);
      expect(outbox.droppedRanges(10).map((r) => r.first)).toEqual([s3]);
    });

    it("does not count readings in flight towards the bound: new readings are kept while a backlog drains", () => {
      ({ outbox } = make({ maxRows: 5, maxBytes: 5 * reading(1).body.length }));
      const backlog = outbox.enqueue([1, 2, 3, 4, 5].map(reading));
      expect(outbox.peek("reading", 0, 5)).toHaveLength(5); // the whole backlog handed to the publisher
      outbox.enqueue([reading(6), reading(7), reading(8)]); // live readings while it is in flight
      expect(outbox.stats()).toMatchObject({ readings: 8, droppedReadings: 0 });
      outbox.ack(backlog);
      expect(outbox.peek("reading", backlog.at(-1)!, 10).map((r) => r.body)).toEqual([6, 7, 8].map((n) => reading(n).body));
      expect(outbox.droppedRanges(10)).toEqual([]);
    });

    it("keeps the latest state of every open alert, forgets a resolved one", () => {
      ({ outbox } = make(BIG));
      const open = (id: string, state: string, isOpen = true): OutboxItem => ({ ...alertItem(id, state), alert: { id, open: isOpen } });
      outbox.enqueue([open("a", "active"), open("b", "active")]);
      const [ackedA] = outbox.enqueue([open("a", "acknowledged"), open("b", "resolved", false), reading(1)]);
      expect(outbox.openAlerts()).toEqual([]); // still queued: sent anyway, no need to re-announce
      outbox.ack(outbox.peek("alert", 0, 10).map((r) => r.seq)); // delivered: still open, re-announced at each connect
      expect(outbox.openAlerts().map((r) => [r.seq, r.topic, r.retain, JSON.parse(r.body) as unknown])).toEqual([[ackedA, "gw/alerts/a", true, { id: "a", state: "acknowledged" }]]);
    });

    it("records the readings.db mark with the readings it covers, or alone", () => {
      ({ outbox } = make(BIG));
      expect(outbox.readingsMark()).toBeUndefined();
      outbox.enqueue([reading(1)], { readingsRowid: 41 });
      expect(outbox.readingsMark()).toBe(41);
      expect(outbox.enqueue([], { readingsRowid: 50 })).toEqual([]);
      expect(outbox.readingsMark()).toBe(50);
    });

    it("bounds bytes as well as rows", () => {
      ({ outbox } = make({ maxRows: 1000, maxBytes: 3 * reading(1).body.length }));
      outbox.enqueue([reading(1), reading(2), reading(3), reading(4)]);
      expect(outbox.stats()).toMatchObject({ readings: 3, droppedReadings: 1, bytes: 3 * reading(1).body.length });
    });

    it("after rewind, hands out from the oldest unacknowledged row again", () => {
      ({ outbox } = make({ maxRows: 3, maxBytes: 2 ** 30 }));
      outbox.enqueue([reading(1), reading(2), reading(3)]);
      outbox.peek("reading", 0, 3);
      outbox.rewind(); // the connection that had them in flight is gone: they may be dropped again
      outbox.enqueue([reading(4)]);
      expect(outbox.peek("reading", 0, 10).map((r) => r.body)).toEqual([reading(2).body, reading(3).body, reading(4).body]);
    });

    it("keeps pending rows, the drop count and never reuses a seq across a reopen (durable adapters)", () => {
      const made = make({ maxRows: 2, maxBytes: 2 ** 30 });
      outbox = made.outbox;
      const [s1, s2, s3] = outbox.enqueue([reading(1), reading(2), alertItem("a")]);
      outbox.ack([s3!]);
      if (!made.reopen) return;
      outbox.close();
      outbox = made.reopen();
      expect(outbox.stats()).toMatchObject({ alerts: 0, readings: 1, droppedReadings: 1 });
      expect(outbox.peek("reading", 0, 10).map((r) => r.seq)).toEqual([s2]);
      outbox.ack([s2!]);
      const [s4] = outbox.enqueue([reading(4)]);
      expect(s4).toBeGreaterThan(Math.max(s1!, s2!, s3!));
      const [s5] = outbox.enqueue([{ ...alertItem("o"), alert: { id: "o", open: true } }], { readingsRowid: 7 });
      outbox.ack([s5!]);
      outbox.close();
      outbox = made.reopen();
      expect([outbox.readingsMark(), outbox.openAlerts().map((r) => r.topic), outbox.droppedRanges(10).map((r) => r.first)]).toEqual([7, ["gw/alerts/o"], [s1]]);
    });
  });
}
