/** The facade's promises to the composition root: batching, and never throwing into the alert path. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TestScheduler } from "rxjs/testing";
import { expect, it } from "vitest";
import { startUpstream, upstreamReadings } from "../../../src/adapters/upstream/upstream.js";
import type { Reading } from "../../../src/core/model.js";
import type { OutboxItem } from "../../../src/ports/upstreamOutbox.js";
import { freePort } from "../../helpers/mosquitto.js";
import { alert, clock, raised, readingOf, silent } from "./harness.js";
import { MemoryUpstreamOutbox } from "./memoryUpstreamOutbox.js";

it("batches readings$ into one enqueue per window or per batchMax", () => {
  const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
  ts.run(({ cold, flush }) => {
    const batches: number[][] = [];
    const sink = { enqueueReadings: (rs: readonly Reading[]) => batches.push(rs.map((r) => r.value - 60)) };
    const source = cold("a b c d e 100ms f|", Object.fromEntries("abcdef".split("").map((k, i) => [k, readingOf(i + 1)])));
    upstreamReadings(source, sink, { batchMs: 50, batchMax: 3 }, ts);
    flush();
    expect(batches).toEqual([[1, 2, 3], [4, 5], [6]]);
  });
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
    expect(logged.filter((m) => m.includes("enqueue failed"))).toHaveLength(2);
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
