/** The facade's promises to the composition root: batching, and never throwing into the alert path. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { SqliteReadingStore } from "../../../src/adapters/sqlite/readingStore.js";
import { SqliteUpstreamOutbox } from "../../../src/adapters/upstream/outbox.js";
import { startUpstream, thenUpstream } from "../../../src/adapters/upstream/upstream.js";
import type { Reading } from "../../../src/core/model.js";
import type { OutboxItem } from "../../../src/ports/upstreamOutbox.js";
import { freePort } from "../../helpers/mosquitto.js";
import { alert, clock, raised, readingOf, silent } from "./harness.js";
import { MemoryUpstreamOutbox } from "./memoryUpstreamOutbox.js";

it("takes committed readings from readings.db after the source's acks, and what a crash left at the next start", async () => {
  const dir = mkdtempSync(join(tmpdir(), "vg-up-"));
  const store = new SqliteReadingStore(join(dir, "readings.db"));
  const url = `mqtt://127.0.0.1:${await freePort()}`; // no broker: everything stays queued
  const outboxOf = () => new SqliteUpstreamOutbox(join(dir, "upstream.db"), { maxRows: 1000, maxBytes: 1e6 }, () => 1);
  store.appendBatch([readingOf(1), readingOf(2)]); // before the link existed: not sent
  const first = startUpstream({ url, gatewayId: "gw1" }, dir, { clock, log: silent, outbox: outboxOf() });
  first.follow(store);
  const order: string[] = [];
  const acks = thenUpstream({ checkpoint: () => 7, acknowledge: (m) => order.push(`puback ${m}`) }, { takeStored: () => (order.push("upstream"), first.takeStored()) });
  store.appendBatch([readingOf(3), readingOf(4)]);
  acks.acknowledge(acks.checkpoint());
  expect(order).toEqual(["puback 7", "upstream"]);
  expect(first.stats()).toMatchObject({ readings: 2 });
  store.appendBatch([readingOf(5)]); // committed, then the process dies before upstream took it
  await first.stop();
  const outbox = outboxOf();
  const second = startUpstream({ url, gatewayId: "gw1" }, dir, { clock, log: silent, outbox });
  second.follow(store);
  expect(outbox.peek("reading", 0, 10).map((r) => (JSON.parse(r.body) as Reading).time)).toEqual([3, 4, 5].map((n) => readingOf(n).time));
  await second.stop();
  store.close();
});

it("without an upstream link the source's acks are passed on unchanged", () => {
  const acks = { checkpoint: () => 1, acknowledge: () => undefined };
  expect(thenUpstream(acks, undefined)).toBe(acks);
});

it("an outbox that fails (disk full, closed) is counted and logged, never thrown into the pipeline", async () => {
  class Failing extends MemoryUpstreamOutbox {
    override enqueue(_items: readonly OutboxItem[]): number[] {
      throw new Error("SQLITE_FULL: database or disk is full");
    }
  }
  const logged: string[] = [];
  const log = { ...silent, log: (_level: string, msg: string) => void logged.push(msg) };
  const u = startUpstream({ url: `mqtt://127.0.0.1:${await freePort()}`, gatewayId: "gw1" }, mkdtempSync(join(tmpdir(), "vg-up-")), { clock, log, outbox: new Failing({ maxRows: 10, maxBytes: 10_000 }) });
  try {
    expect(() => u.enqueueAlertEvents([raised(alert("0190aaaa-0000-7000-8000-000000000009", 1))])).not.toThrow();
    expect(() => u.enqueueReadings([readingOf(1)])).not.toThrow();
    expect(u.stats().enqueueErrors).toBe(2);
    // Counted each time, logged once per outage and path: the alerts' retry, and the readings.
    expect(logged.filter((m) => m.includes("enqueue failed"))).toHaveLength(2);
    expect(u.stats().alertsWaiting).toBe(1); // the alert is kept for the retry, not dropped
  } finally {
    await u.stop();
  }
});

it("with publishReadings false only alerts are queued", async () => {
  const outbox = new MemoryUpstreamOutbox({ maxRows: 10, maxBytes: 10_000 });
  const u = startUpstream({ url: `mqtt://127.0.0.1:${await freePort()}`, gatewayId: "gw1", publishReadings: false }, mkdtempSync(join(tmpdir(), "vg-up-")), { clock, log: silent, outbox });
  u.enqueueReadings([readingOf(1)]);
  u.enqueueAlertEvents([raised(alert("0190aaaa-0000-7000-8000-00000000000b", 1))]);
  expect(u.stats()).toMatchObject({ alerts: 1, readings: 0 });
  await u.stop();
});
