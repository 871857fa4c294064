/**
 * What a central station stands on (issue 13, hub side), against a real mosquitto: open alerts
 * come back after the broker lost them, readings.db and what went upstream agree after kill -9s,
 * and a receiver is told which readings the bound dropped.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { UpstreamOptions } from "../../../src/adapters/upstream/config.js";
import { SqliteReadingStore } from "../../../src/adapters/sqlite/readingStore.js";
import { startUpstream, type Upstream } from "../../../src/adapters/upstream/upstream.js";
import type { Alert } from "../../../src/core/model.js";
import { startMosquitto, type Mosquitto } from "../../helpers/mosquitto.js";
import { alert, Central, clock, dedupe, raised, readingOf, resolved, silent, until, updated } from "./harness.js";

const FAST = { reconnectInitialMs: 50, reconnectMaxMs: 400, connectTimeoutMs: 3000 } as const;
const opened: { stop: () => Promise<unknown> }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.stop();
});

async function broker(persistence = false, extraConf = ""): Promise<Mosquitto> {
  const b = await startMosquitto({ persistence, extraConf });
  opened.push(b);
  return b;
}
async function central(url: string, filter = "gateways/gw1/#"): Promise<Central> {
  const c = await Central.connect(url, filter);
  opened.push({ stop: () => c.close() });
  return c;
}
function upstream(url: string, dir = mkdtempSync(join(tmpdir(), "vg-up-")), over: Partial<UpstreamOptions> = {}): Upstream {
  const u = startUpstream({ url, gatewayId: "gw1", ...FAST, ...over }, dir, { clock, log: silent });
  opened.push(u);
  return u;
}
const connects = (u: Upstream, n: number) => until(() => u.stats().connects >= n && u.stats().link === "up", `connect #${n}`, 15_000);
const retainedAlerts = async (url: string) => {
  const late = await central(url, "gateways/gw1/alerts/#");
  await until(() => late.alerts().length > 0, "a retained alert");
  await new Promise((r) => setTimeout(r, 300)); // all retained ones come together after SUBACK: any other would be here by now
  return late.of("alert").map((m) => [m.retain, (m.json["alert"] as Alert).id, (m.json["alert"] as Alert).state]);
};

describe("open alerts after the central broker lost its retained messages", () => {
  it("re-publishes the latest state of every open alert (not resolved ones) after a restart without persistence", async () => {
    const b = await broker(false);
    const u = upstream(b.url);
    await connects(u, 1);
    const open = alert("0190bbbb-0000-7000-8000-000000000001", 1000);
    const closed = alert("0190bbbb-0000-7000-8000-000000000002", 1000);
    u.enqueueAlertEvents([raised(open), raised(closed), updated({ ...open, state: "acknowledged" }), resolved(closed)]);
    await until(() => u.stats().rowsAcked === 4, "the four alert events acknowledged");
    await b.stop();
    await b.restart(); // no persistence: every retained message is gone
    await connects(u, 2);
    await until(() => u.stats().rowsAcked >= 5, "the re-published state acknowledged");
    expect(await retainedAlerts(b.url)).toEqual([[true, open.id, "acknowledged"]]);
  });

  it("also when the broker comes back from an old snapshot and says the session is present", async () => {
    const b = await broker(true, "autosave_interval 0\n"); // saves only at a clean shutdown
    const u = upstream(b.url);
    await connects(u, 1);
    await b.stop(); // snapshot: the gateway's session, no alerts yet
    await b.restart();
    await connects(u, 2);
    const a = alert("0190bbbb-0000-7000-8000-000000000003", 1000);
    u.enqueueAlertEvents([raised(a)]);
    await until(() => u.stats().rowsAcked === 1, "the alert acknowledged");
    await b.kill(); // before any save: the retained alert is lost, the old session is not
    await b.restart();
    await connects(u, 3);
    await until(() => u.stats().rowsAcked >= 2, "the re-published state acknowledged");
    expect(await retainedAlerts(b.url)).toEqual([[true, a.id, "active"]]);
  });
});

describe("readings.db and the outbox after kill -9", () => {
  it("over repeated SIGKILLs, every stored reading reaches the broker and every one that reached it is stored", { timeout: 120_000 }, async () => {
    const b = await broker();
    const c = await central(b.url);
    const dir = mkdtempSync(join(tmpdir(), "vg-up-store-crash-"));
    const rounds = 12;
    for (let round = 0; round < rounds; round++) {
      const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./storeCrashChild.ts", import.meta.url)), b.url, dir, String(round * 1_000_000)], { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      const exited = new Promise((r) => child.once("exit", r));
      const seen = c.readingSeqs().length;
      await until(() => out.includes("link up") && c.readingSeqs().length > seen + 100, `round ${round} publishing`, 30_000);
      await new Promise((r) => setTimeout(r, 50 + ((round * 37) % 150))); // kill at a different point each round
      child.kill("SIGKILL");
      await exited;
    }
    // The next start (no new readings) catches up and drains.
    const store = new SqliteReadingStore(join(dir, "readings.db"));
    opened.push({ stop: () => Promise.resolve(store.close()) });
    const u = upstream(b.url, dir);
    u.follow(store);
    await until(() => u.stats().link === "up" && u.stats().readings === 0, "the outbox drained", 60_000);
    const stored = new Database(join(dir, "readings.db"), { readonly: true });
    const storedTimes = new Set((stored.prepare("SELECT time FROM readings").all() as { time: number }[]).map((r) => r.time));
    stored.close();
    const sent = c.of("readings").flatMap((m) => (m.json["readings"] as { seq: number; time: number }[]));
    const sentTimes = new Set(sent.map((r) => r.time));
    const storedNotSent = [...storedTimes].filter((t) => !sentTimes.has(t));
    const sentNotStored = [...sentTimes].filter((t) => !storedTimes.has(t));
    expect({ storedNotSent: storedNotSent.length, sentNotStored: sentNotStored.length }).toEqual({ storedNotSent: 0, sentNotStored: 0 });
    expect(storedTimes.size).toBeGreaterThan(rounds * 100);
    // Queued once each: one seq per reading (repeats only as MQTT redeliveries of the same seq).
    expect(new Set(sent.map((r) => r.seq)).size).toBe(sentTimes.size);
  });
});

describe("readings dropped by the outbox bound", () => {
  it("tells the receiver the seq ranges that were dropped, so a gap can be told from a loss", async () => {
    const b = await broker(true); // the console's persistent session survives the restart: it misses nothing
    const port = b.port;
    const c = await Central.connect(b.url, "gateways/gw1/#", "central-dropped");
    opened.push({ stop: () => c.close() });
    await b.stop();
    const u = upstream(`mqtt://127.0.0.1:${port}`, undefined, { maxQueuedRows: 5 });
    const kept = alert("0190bbbb-0000-7000-8000-000000000004", 1000);
    u.enqueueReadings([0, 1, 2].map(readingOf));
    u.enqueueAlertEvents([raised(kept)]);
    u.enqueueReadings([3, 4, 5, 6].map(readingOf)); // 8 rows, bound 5: readings 0..2 go (seqs 1–3)
    u.enqueueReadings([7, 8].map(readingOf)); // again: readings 3 and 4 go (seqs 5–6)
    expect(u.stats()).toMatchObject({ alerts: 1, readings: 4, droppedReadings: 5 });
    await b.restart();
    await until(() => c.of("dropped").length >= 2 && c.readingSeqs().length >= 4, "the dropped notices and the kept readings", 15_000);
    expect(c.of("dropped").map((m) => [m.topic, m.retain, m.json["first"], m.json["last"], m.json["count"]])).toEqual([
      ["gateways/gw1/dropped", false, 1, 3, 3],
      ["gateways/gw1/dropped", false, 5, 6, 2],
    ]);
    const received = dedupe(c.readingSeqs());
    expect(received).toEqual([7, 8, 9, 10]);
    // Every seq below the last one is accounted for: received, dropped (a range), or an alert.
    const dropped = c.of("dropped").flatMap((m) => range(m.json["first"] as number, m.json["last"] as number));
    const alerts = c.alerts().map((x) => x.seq);
    expect(range(1, 10).filter((s) => !received.includes(s) && !dropped.includes(s) && !alerts.includes(s))).toEqual([]);
    await until(() => u.stats().readings === 0, "outbox drained");
  });
});

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
