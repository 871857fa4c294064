/** The upstream link against a real mosquitto (Debian package) as the central broker (DESIGN §6). */
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { firstValueFrom, filter } from "rxjs";
import { SqliteUpstreamOutbox } from "../../../src/adapters/upstream/outbox.js";
import { startUpstream, type Upstream } from "../../../src/adapters/upstream/upstream.js";
import type { UpstreamOptions } from "../../../src/adapters/upstream/config.js";
import { startMosquitto, type Mosquitto } from "../../helpers/mosquitto.js";
import { alert, Central, CuttableProxy, clock, dedupe, escalated, isIncreasing, raised, readingOf, resolved, silent, until, updated } from "./harness.js";

const FAST = { reconnectInitialMs: 50, reconnectMaxMs: 400, connectTimeoutMs: 3000 } as const;
const opened: { stop: () => Promise<unknown> }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.stop();
});

async function broker(persistence = false): Promise<Mosquitto> {
  const b = await startMosquitto({ persistence });
  opened.push(b);
  return b;
}
async function central(url: string, clientId?: string): Promise<Central> {
  const c = await Central.connect(url, "gateways/gw1/#", clientId);
  opened.push({ stop: () => c.close() });
  return c;
}
function upstream(url: string, dir = mkdtempSync(join(tmpdir(), "vg-up-")), over: Partial<UpstreamOptions> = {}): Upstream {
  const u = startUpstream({ url, gatewayId: "gw1", ...FAST, ...over }, dir, { clock, log: silent });
  opened.push(u);
  return u;
}
const up = (u: Upstream) => firstValueFrom(u.link$.pipe(filter((s) => s.state === "up")));
const down = (u: Upstream) => firstValueFrom(u.link$.pipe(filter((s) => s.state === "down")));

describe("upstream link to a real mosquitto", () => {
  it("publishes readings in batches and alerts per id, in order, and empties the outbox on PUBACK", async () => {
    const b = await broker();
    const c = await central(b.url);
    const u = upstream(b.url, undefined, { batchSize: 7 });
    await up(u);
    const a = alert("0190aaaa-0000-7000-8000-000000000001", 1000);
    u.enqueueReadings(Array.from({ length: 20 }, (_, i) => readingOf(i)));
    u.enqueueAlertEvents([raised(a)]);
    u.enqueueReadings(Array.from({ length: 20 }, (_, i) => readingOf(20 + i)));
    u.enqueueAlertEvents([resolved(a)]);
    await until(() => c.readingSeqs().length >= 40 && c.alerts().length >= 2, "40 readings and 2 alert messages");
    expect(isIncreasing(c.readingSeqs())).toBe(true);
    expect(c.of("readings").every((m) => (m.json["readings"] as unknown[]).length <= 7 && m.topic === "gateways/gw1/readings")).toBe(true);
    const values = c.of("readings").flatMap((m) => (m.json["readings"] as { value: number }[]).map((r) => r.value));
    expect(values).toEqual(Array.from({ length: 40 }, (_, i) => readingOf(i).value));
    expect(c.alerts().map((x) => [x.event, x.id])).toEqual([["raise", a.id], ["resolve", a.id]]);
    expect(c.of("alert").every((m) => m.topic === `gateways/gw1/alerts/${a.id}`)).toBe(true);
    await until(() => u.stats().alerts + u.stats().readings === 0, "outbox drained");
    expect(u.stats()).toMatchObject({ rowsAcked: 42, droppedReadings: 0, enqueueErrors: 0 });
  });

  it("retains the latest alert state and the online status for a console that subscribes late", async () => {
    const b = await broker();
    const u = upstream(b.url);
    await up(u);
    const a = alert("0190aaaa-0000-7000-8000-000000000002", 1000);
    u.enqueueAlertEvents([raised(a), updated({ ...a, state: "acknowledged" })]);
    await until(() => u.stats().rowsAcked === 2, "both alert states acknowledged");
    const late = await central(b.url);
    await until(() => late.alerts().length >= 1 && late.of("status").length >= 1, "retained messages");
    expect(late.of("alert").map((m) => [m.retain, (m.json["alert"] as { state: string }).state])).toEqual([[true, "acknowledged"]]);
    expect(late.of("status").map((m) => [m.retain, m.json["state"]])).toEqual([[true, "online"]]);
  });

  it("keeps everything while the broker is down and delivers it, in order per kind, once it is back", async () => {
    const b = await broker(true); // mosquitto persistence: the central console's session survives the restart
    const c = await central(b.url, "central-restart");
    const u = upstream(b.url);
    await up(u);
    const a = alert("0190aaaa-0000-7000-8000-000000000003", 1000);
    u.enqueueReadings(Array.from({ length: 10 }, (_, i) => readingOf(i)));
    u.enqueueAlertEvents([raised(a)]);
    await until(() => c.readingSeqs().length >= 10 && c.alerts().length >= 1, "the first 10 readings and the alert");
    const wentDown = down(u);
    await b.stop();
    await wentDown;
    for (let i = 10; i < 300; i += 10) u.enqueueReadings(Array.from({ length: 10 }, (_, k) => readingOf(i + k)));
    u.enqueueAlertEvents([escalated(a), resolved(a)]);
    expect(u.stats()).toMatchObject({ readings: 290, alerts: 2 }); // on disk in upstream.db meanwhile
    await b.restart();
    await until(() => new Set(c.readingSeqs()).size >= 300 && new Set(c.alerts().map((x) => x.seq)).size >= 3, "everything after the restart", 15_000);
    const readings = dedupe(c.readingSeqs());
    expect(readings).toHaveLength(300);
    expect(isIncreasing(readings)).toBe(true);
    const values = c.of("readings").flatMap((m) => (m.json["readings"] as { seq: number; value: number }[]));
    expect([...new Map(values.map((r) => [r.seq, r.value])).values()]).toEqual(Array.from({ length: 300 }, (_, i) => readingOf(i).value));
    const alerts = [...new Map(c.alerts().map((x) => [x.seq, x])).values()];
    expect(alerts.map((x) => x.event)).toEqual(["raise", "escalate", "resolve"]);
    expect(isIncreasing(alerts.map((x) => x.seq))).toBe(true);
    await until(() => u.stats().readings + u.stats().alerts === 0, "outbox drained");
  });

  it("delivers rows left in upstream.db by a previous run after a gateway restart", async () => {
    const b = await broker();
    const port = b.port;
    await b.stop(); // the central broker is unreachable during the first run
    const dir = mkdtempSync(join(tmpdir(), "vg-up-"));
    const first = startUpstream({ url: `mqtt://127.0.0.1:${port}`, gatewayId: "gw1", ...FAST }, dir, { clock, log: silent });
    first.enqueueReadings([readingOf(1), readingOf(2)]);
    first.enqueueAlertEvents([raised(alert("0190aaaa-0000-7000-8000-000000000004", 1000))]);
    await first.stop();
    await b.restart();
    const c = await central(b.url);
    const second = upstream(b.url, dir);
    await until(() => c.readingSeqs().length >= 2 && c.alerts().length >= 1, "the rows of the first run");
    expect(dedupe(c.readingSeqs())).toEqual([1, 2]);
    expect(c.alerts().map((x) => x.seq)).toEqual([3]);
    await until(() => second.stats().readings + second.stats().alerts === 0, "outbox drained");
  });

  it("past maxQueuedRows drops the oldest readings, never an alert, and tells the receiver how many", async () => {
    const b = await broker(true); // the console's persistent session survives the restart: it misses nothing
    const port = b.port;
    const c = await central(b.url, "central-bound");
    await b.stop();
    const u = upstream(`mqtt://127.0.0.1:${port}`, undefined, { maxQueuedRows: 5 });
    u.enqueueReadings(Array.from({ length: 6 }, (_, i) => readingOf(i)));
    u.enqueueAlertEvents([raised(alert("0190aaaa-0000-7000-8000-000000000005", 1000)), raised(alert("0190aaaa-0000-7000-8000-000000000006", 1000))]);
    u.enqueueReadings([readingOf(6), readingOf(7)]);
    expect(u.stats()).toMatchObject({ alerts: 2, readings: 3, droppedReadings: 5 });
    await b.restart();
    await until(() => c.readingSeqs().length >= 3 && c.alerts().length >= 2, "what was kept", 15_000);
    expect(c.alerts()).toHaveLength(2);
    const values = c.of("readings").flatMap((m) => (m.json["readings"] as { value: number }[]).map((r) => r.value));
    expect(values).toEqual([5, 6, 7].map((i) => readingOf(i).value));
    expect(c.of("readings").every((m) => m.json["droppedReadings"] === 5)).toBe(true);
  });

  it("says offline (retained) on stop and leaves no socket or timer behind, link up or down", async () => {
    const before = handles();
    const b = await broker();
    const u = upstream(b.url);
    await up(u);
    await u.stop();
    const c = await central(b.url);
    await until(() => c.of("status").length >= 1, "the retained status");
    expect(c.of("status").map((m) => [m.json["state"], m.json["reason"]])).toEqual([["offline", "shutdown"]]);
    await c.close();
    await b.stop();
    const d = upstream(b.url); // broker gone: a reconnect timer is pending
    await down(d);
    await d.stop();
    await new Promise((r) => setImmediate(r));
    const after = handles();
    // Nothing of ours is left: no more sockets or timers than before the test (others may have ended).
    for (const kind of new Set(after)) expect(after.filter((h) => h === kind).length).toBeLessThanOrEqual(before.filter((h) => h === kind).length);
  });

  it("refuses a bad config with the field named, before any I/O", () => {
    const dir = mkdtempSync(join(tmpdir(), "vg-up-"));
    const start = (o: Partial<UpstreamOptions>) => () => startUpstream({ url: "mqtt://127.0.0.1:1", gatewayId: "gw1", ...o }, dir, { clock, log: silent });
    expect(start({ url: "http://broker:1883" })).toThrow(/upstream\.url: scheme 'http:' not supported/);
    expect(start({ url: "broker:1883 and more" })).toThrow(/upstream\.url/);
    expect(start({ url: "mqtt://user:pw@broker" })).toThrow(/upstream\.url: credentials in the URL/);
    expect(start({ gatewayId: "a/b" })).toThrow(/upstream\.gatewayId/);
    expect(start({ topicPrefix: "x/#" })).toThrow(/upstream\.topicPrefix/);
    expect(start({ maxInFlight: 0 })).toThrow(/upstream\.maxInFlight/);
    expect(start({ username: "gw", passwordFile: join(dir, "missing") })).toThrow(/upstream\.passwordFile: cannot read .*ENOENT/);
  });
});

function handles(): string[] {
  return process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap" || r === "Timeout" || r === "TCPServerWrap").sort();
}

describe("upstream credentials", () => {
  it("authenticates with username + passwordFile, and a wrong password is a link down naming the broker's reason", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vg-up-auth-"));
    chmodSync(dir, 0o755); // mosquitto drops to its own user when started as root
    const passwd = join(dir, "passwd");
    execFileSync("mosquitto_passwd", ["-b", "-c", passwd, "gw1", "test-only-secret"]);
    chmodSync(passwd, 0o644);
    writeFileSync(join(dir, "good"), "test-only-secret\n");
    writeFileSync(join(dir, "bad"), "wrong\n");
    const b = await startMosquitto({ extraConf: `password_file ${passwd}\nallow_anonymous false\n` });
    opened.push(b);
    const denied = upstream(b.url, undefined, { username: "gw1", passwordFile: join(dir, "bad") });
    const why = (await down(denied)).error ?? "";
    expect(why).toMatch(/not authori[sz]ed|bad user ?name or password/i);
    await denied.stop();
    const u = upstream(b.url, undefined, { username: "gw1", passwordFile: join(dir, "good") });
    await up(u);
    u.enqueueReadings([readingOf(1)]);
    await until(() => u.stats().rowsAcked === 1, "the reading acknowledged");
  });
});

describe("upstream network loss", () => {
  it("loses and reorders nothing when the connection is cut mid-stream, and the broker publishes the will", async () => {
    const b = await broker();
    const c = await central(b.url);
    const proxy = await CuttableProxy.start(b.port);
    opened.push(proxy);
    const u = upstream(proxy.url, undefined, { batchSize: 5 });
    await up(u);
    const a = alert("0190aaaa-0000-7000-8000-000000000007", 1000);
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 200; i += 5) u.enqueueReadings(Array.from({ length: 5 }, (_, k) => readingOf(round * 200 + i + k)));
      u.enqueueAlertEvents([round === 0 ? raised(a) : round === 3 ? resolved(a) : escalated(a)]);
      const lost = down(u);
      proxy.cut(); // while messages are in flight
      await lost;
      await up(u);
    }
    await until(() => new Set(c.readingSeqs()).size >= 800 && new Set(c.alerts().map((x) => x.seq)).size >= 4, "all 800 readings and 4 alert events");
    const readings = dedupe(c.readingSeqs());
    expect(readings).toHaveLength(800);
    expect(isIncreasing(readings)).toBe(true); // first arrivals in order; repeats only of what was in flight
    const alerts = [...new Map(c.alerts().map((x) => [x.seq, x])).values()];
    expect(alerts.map((x) => x.event)).toEqual(["raise", "escalate", "escalate", "resolve"]);
    expect(isIncreasing(alerts.map((x) => x.seq))).toBe(true);
    expect(u.stats().connects).toBeGreaterThanOrEqual(5);
    expect(c.of("status").some((m) => m.json["state"] === "offline" && m.json["reason"] === "connection_lost")).toBe(true);
    expect(c.of("status").at(-1)?.json["state"]).toBe("online");
    await until(() => u.stats().readings + u.stats().alerts === 0, "outbox drained");
  });
});

describe("upstream crash", () => {
  it("after SIGKILL mid-stream, the next run delivers every committed reading (duplicates only, by seq)", async () => {
    const b = await broker();
    const c = await central(b.url);
    const dir = mkdtempSync(join(tmpdir(), "vg-up-crash-"));
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./crashChild.ts", import.meta.url)), b.url, dir], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    const committed = (): number => Number([...out.matchAll(/committed (\d+)/g)].at(-1)?.[1] ?? 0);
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise((r) => child.once("exit", r));
    await until(() => c.readingSeqs().length >= 200 && committed() >= 5000, "the child publishing", 20_000);
    child.kill("SIGKILL");
    await exited;
    const total = committed();
    const before = new Set(c.readingSeqs()).size;
    expect(before).toBeLessThan(total); // the kill left rows unsent
    const u = upstream(b.url, dir);
    await until(() => new Set(c.readingSeqs()).size >= total, `all ${total} committed readings`, 20_000);
    const seqs = dedupe(c.readingSeqs());
    expect(isIncreasing(seqs)).toBe(true);
    const times = new Set(c.of("readings").flatMap((m) => (m.json["readings"] as { time: number }[]).map((r) => r.time)));
    expect(Array.from({ length: total }, (_, i) => readingOf(i).time).filter((t) => !times.has(t))).toEqual([]);
    await until(() => u.stats().readings === 0, "outbox drained");
  });
});

describe("upstream TLS", () => {
  it("connects over mqtts:// verifying the broker against caFile, and refuses a broker it cannot verify", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vg-up-tls-"));
    chmodSync(dir, 0o755); // mosquitto drops to its own user when started as root
    const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test-only CA", "-keyout", "ca.key", "-out", "ca.pem");
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr");
    writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
    ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-extfile", "san.ext", "-out", "server.pem");
    for (const f of ["ca.pem", "server.pem", "server.key"]) chmodSync(join(dir, f), 0o644);
    const b = await startMosquitto({ extraConf: `cafile ${dir}/ca.pem\ncertfile ${dir}/server.pem\nkeyfile ${dir}/server.key\n` });
    opened.push(b);
    const url = `mqtts://127.0.0.1:${b.port}`;
    const unverified = upstream(url);
    expect((await down(unverified)).error).toMatch(/certificate/i);
    await unverified.stop();
    const u = upstream(url, undefined, { caFile: join(dir, "ca.pem") });
    await up(u);
    u.enqueueReadings([readingOf(1)]);
    await until(() => u.stats().rowsAcked === 1, "the reading acknowledged over TLS");
  });
});

describe("upstream stop with a broker that stopped answering", () => {
  it("returns, closes its socket and keeps the unacknowledged alert in upstream.db", async () => {
    const b = await broker();
    const proxy = await CuttableProxy.start(b.port);
    opened.push(proxy);
    const dir = mkdtempSync(join(tmpdir(), "vg-up-"));
    const u = startUpstream({ url: proxy.url, gatewayId: "gw1", ...FAST }, dir, { clock, log: silent });
    await up(u);
    proxy.hang();
    u.enqueueAlertEvents([raised(alert("0190aaaa-0000-7000-8000-00000000000c", 1000))]);
    await u.stop(); // bounded: drain, goodbye and DISCONNECT each give up after a grace
    await until(() => proxy.connections === 0, "the gateway's socket closed");
    const reopened = new SqliteUpstreamOutbox(join(dir, "upstream.db"), { maxRows: 10, maxBytes: 10_000 }, () => 0);
    expect(reopened.stats().alerts).toBe(1);
    reopened.close();
  });
});
