/**
 * The HTTP server against raw sockets: an upgrade request whose target is not a URL is refused
 * with 400, before authentication, and the server keeps serving (it used to throw out of the
 * 'upgrade' listener and end the process).
 */
import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import { connect } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonLogger } from "../../../src/adapters/log/jsonLogger.js";
import { FREE_FAILURES, LOG_LINES_PER_MINUTE } from "../../../src/adapters/http/loginThrottle.js";
import { createMetrics, type Metrics } from "../../../src/adapters/http/metrics.js";
import { startHttpServer } from "../../../src/adapters/http/server.js";
import { Sessions } from "../../../src/adapters/http/sessions.js";
import { TokenStore } from "../../../src/adapters/sqlite/tokenStore.js";
import { WsHub } from "../../../src/adapters/ws/hub.js";

let server: Server;
let url: URL;
let metrics: Metrics;
let clock = 1_000_000;
const logs: string[] = [];
let tokens: TokenStore;
let hub: WsHub;

beforeAll(async () => {
  tokens = new TokenStore(join(mkdtempSync(join(tmpdir(), "vg-http-")), "auth.db"), () => Date.now());
  metrics = createMetrics();
  const sessions = new Sessions(tokens, 60_000, () => Date.now());
  const handlers = { snapshot: () => ({ type: "snapshot", patients: [], alerts: [] }) as const, onReceived: () => undefined, onAction: () => undefined, onClientCount: () => undefined, auditRefusal: () => undefined };
  hub = new WsHub(sessions, metrics, handlers, () => 0, 4096);
  const started = await startHttpServer("127.0.0.1", 0, { metrics, sessions, tokens, hub, readiness: () => ({ ready: true, checks: {} }), allowedHosts: ["vitals.ward3.example"], log: jsonLogger("debug", "test", (l) => logs.push(l)), now: () => clock });
  server = started.server;
  url = new URL(started.url);
});

afterAll(async () => {
  await hub.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  tokens.close();
});

/** Sends one raw request and returns the status line of the answer. */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(request));
    let text = "";
    socket.on("data", (d: Buffer) => (text += d.toString("latin1")));
    socket.on("close", () => resolve(text.split("\r\n")[0] ?? ""));
    socket.on("error", reject);
  });
}

const upgrade = (target: string) =>
  `GET ${target} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;

describe("HTTP upgrade", () => {
  it("refuses an upgrade whose target is not a URL with 400 and keeps serving", async () => {
    expect(await raw(upgrade("http://[/ws"))).toBe("HTTP/1.1 400 Bad Request");
    expect((await fetch(new URL("/livez", url))).status).toBe(200);
  });

  it("refuses an upgrade to another path with 404, and an unauthenticated one to /ws with 401", async () => {
    expect(await raw(upgrade("/other"))).toBe("HTTP/1.1 404 Not Found");
    expect(await raw(upgrade("/ws"))).toBe("HTTP/1.1 401 Unauthorized");
  });
});

const get = (target: string, host = url.host) => raw(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
const counted = async (name: keyof Metrics & ("httpRefused" | "loginFailures"), reason: string) => (await metrics[name].get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;

describe("HTTP request targets and Host names (issue 9 item 9)", () => {
  it("answers a request target that is not a URL with 400, not 500, and keeps serving", async () => {
    expect(await get("http://[")).toBe("HTTP/1.1 400 Bad Request");
    expect(await counted("httpRefused", "bad_target")).toBeGreaterThan(0);
    expect((await fetch(new URL("/livez", url))).status).toBe(200);
  });

  it("refuses /metrics, the console and /ws under a foreign Host name (DNS rebinding) with 421", async () => {
    for (const target of ["/metrics", "/", "/livez"]) expect(await get(target, `attacker.example:${url.port}`)).toBe("HTTP/1.1 421 Misdirected Request");
    expect(await raw(upgrade("/ws").replace(`Host: ${url.host}`, "Host: attacker.example"))).toBe("HTTP/1.1 421 Misdirected Request");
    expect(await raw("GET /metrics HTTP/1.0\r\n\r\n")).toBe("HTTP/1.1 421 Misdirected Request"); // no Host at all
    expect(await counted("httpRefused", "host_not_allowed")).toBeGreaterThanOrEqual(5);
  });

  it("accepts IP addresses, localhost, this machine's name and the configured http.allowedHosts", async () => {
    for (const host of [url.host, `localhost:${url.port}`, `[::1]:${url.port}`, `VITALS.ward3.example:${url.port}`, `${hostname()}:${url.port}`]) {
      expect(await get("/metrics", host), host).toBe("HTTP/1.1 200 OK");
    }
    expect(await get("/metrics", `vitals.ward3.example.attacker.example:${url.port}`)).toBe("HTTP/1.1 421 Misdirected Request");
  });
});

describe("POST /login throttling (issue 9 item 9)", () => {
  const login = (token: string) => fetch(new URL("/login", url), { method: "POST", body: new URLSearchParams({ token }), redirect: "manual" });

  it("lets a few wrong tokens through, then blocks the address with 429 and a growing Retry-After, even for a right token", async () => {
    const good = tokens.createToken("nurse", "nurse-login").token;
    const secret = "vgt_wrong-guess-that-must-not-be-logged";
    for (let i = 0; i < FREE_FAILURES; i++) expect((await login(secret)).status).toBe(401);
    expect((await login(secret)).status).toBe(401); // the failure past the free ones starts a 1 s block
    const blocked = await login(good);
    expect(blocked.status).toBe(429); // no token is looked at while blocked: guessing gets no answers
    expect(blocked.headers.get("retry-after")).toBe("1");
    clock += 1_001;
    expect((await login(secret)).status).toBe(401);
    expect((await login(good)).headers.get("retry-after")).toBe("2"); // doubled
    clock += 2_001;
    expect((await login(good)).status).toBe(303); // a success forgets the address
    expect((await login(secret)).status).toBe(401);
    expect(await counted("loginFailures", "bad_token")).toBe(FREE_FAILURES + 3);
    expect(await counted("loginFailures", "throttled")).toBe(2);
    expect(logs.join("\n")).not.toContain(secret);
    expect(logs.filter((l) => l.includes("login refused")).length).toBeGreaterThan(0);
  });

  it("logs failures at a bounded rate: at most LOG_LINES_PER_MINUTE lines, then one line with the count", async () => {
    clock += 3_600_000; // a new minute, and the address forgotten
    tokens.createToken("nurse", "reset"); // (any success would also reset; the hour is enough)
    logs.length = 0;
    for (let i = 0; i < 40; i++) {
      await login("vgt_nope");
      clock += 1; // still within the minute; blocked requests are refused (and counted) too
    }
    expect(logs.filter((l) => l.includes("login refused"))).toHaveLength(LOG_LINES_PER_MINUTE);
    clock += 60_000;
    await login("vgt_nope");
    expect(logs.find((l) => l.includes("not logged in the last minute"))).toMatch(/"count":30/);
  });
});
