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

    it("past its bound drops the oldest readings not yet handed out, never an alert, and counts them", () => {
      ({ outbox } = make({ maxRows: 5, maxBytes: 2 ** 30 }));
      outbox.enqueue([reading(1), reading(2)]);
      outbox.peek("reading", 0, 1); // reading 1 is in flight
      outbox.enqueue([alertItem("a"), reading(3), reading(4), alertItem("b"), reading(5)]);
      expect(outbox.stats()).toMatchObject({ alerts: 2, readings: 3, droppedReadings: 2 });
      expect(outbox.peek("reading", 0, 10).map((r) => r.body)).toEqual([reading(1).body, reading(4).body, reading(5).body]);
      outbox.enqueue([alertItem("c"), alertItem("d"), alertItem("e"), alertItem("f")]);
      // Alerts alone may exceed the bound; the readings just peeked are in flight and stay.
      expect(outbox.stats()).toMatchObject({ alerts: 6, readings: 3, droppedReadings: 2 });
      expect(outbox.peek("alert", 0, 10)).toHaveLength(6);
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
    });
  });
}
