/**
 * Alerts towards the central broker on a full disk (issue 9): upstream.db refuses the enqueue,
 * the alert is kept in memory and retried every second, later alerts wait behind it, and once
 * space returns they are all queued in the order the engine decided them. Root: a real 8 MiB
 * tmpfs under a real upstream.db. Otherwise: an outbox that refuses while "full" (same policy).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it, vi } from "vitest";
import { SqliteUpstreamOutbox } from "../../../src/adapters/upstream/outbox.js";
import { startUpstream } from "../../../src/adapters/upstream/upstream.js";
import type { OutboxItem, UpstreamOutbox } from "../../../src/ports/upstreamOutbox.js";
import { freePort } from "../../helpers/mosquitto.js";
import { isRoot, smallDisk } from "../../helpers/smallDisk.js";
import { alert, clock, raised, resolved, silent } from "./harness.js";
import { MemoryUpstreamOutbox } from "./memoryUpstreamOutbox.js";

const LIMITS = { maxRows: 10_000, maxBytes: 100_000_000 };
const id = (n: number) => `0190aaaa-0000-7000-8000-${String(n).padStart(12, "0")}`;

it("alerts refused by a full upstream.db are retried in order and all queued once space returns", async () => {
  const disk = isRoot ? smallDisk() : undefined;
  let full = false;
  class Refusing extends MemoryUpstreamOutbox {
    override enqueue(items: readonly OutboxItem[]): number[] {
      if (full) throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
      return super.enqueue(items);
    }
  }
  const outbox: UpstreamOutbox = disk ? new SqliteUpstreamOutbox(join(disk.dir, "upstream.db"), LIMITS, clock.now) : new Refusing(LIMITS);
  const u = startUpstream({ url: `mqtt://127.0.0.1:${await freePort()}`, gatewayId: "gw1" }, mkdtempSync(join(tmpdir(), "vg-up-")), { clock, log: silent, outbox });
  try {
    u.enqueueAlertEvents([raised(alert(id(0), 1))]);
    full = true;
    disk?.fill();
    // Large enough that the freed pages of a small database cannot take them all.
    const big = (n: number) => ({ ...alert(id(n), n), message: "x".repeat(64 * 1024) });
    for (let n = 1; n <= 5; n++) u.enqueueAlertEvents([raised(big(n))]);
    u.enqueueAlertEvents([resolved(big(1))]);
    expect(u.stats().enqueueErrors).toBeGreaterThan(0);
    expect(u.stats().alertsWaiting).toBeGreaterThan(0);
    full = false;
    disk?.free();
    await vi.waitFor(() => expect(u.stats().alertsWaiting).toBe(0), { timeout: 10_000, interval: 50 });
    const queued = outbox.peek("alert", 0, 100).map((r) => {
      const body = JSON.parse(r.body) as { event: string; alert: { id: string } };
      return `${body.event}:${body.alert.id.slice(-1)}`;
    });
    expect(queued).toEqual(["raise:0", "raise:1", "raise:2", "raise:3", "raise:4", "raise:5", "resolve:1"]);
  } finally {
    await u.stop();
    disk?.unmount();
  }
});
