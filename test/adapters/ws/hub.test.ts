/**
 * The WebSocket hub against real sockets: heartbeats keep a live console and drop a dead one, and
 * a handler that throws (a full disk under alarms.db) is answered and counted, never crashes the
 * daemon. Only the heartbeat interval runs on fake timers; the sockets are real.
 */
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { createMetrics, type Metrics } from "../../../src/adapters/http/metrics.js";
import { Sessions } from "../../../src/adapters/http/sessions.js";
import { TokenStore } from "../../../src/adapters/sqlite/tokenStore.js";
import { CLOSE_UNAUTHORIZED, HEARTBEAT_MS, SWEEP_MS, WsHub, type HubHandlers } from "../../../src/adapters/ws/hub.js";
import type { ServerMessage } from "../../../src/adapters/ws/messages.js";
import type { AuditEntry } from "../../../src/core/alerting/events.js";

let server: Server;
let hub: WsHub;
let tokens: TokenStore;
let metrics: Metrics;
let url: string;
let token: string;
let sessions: Sessions;
let sessionNow = 0;
const counts: number[] = [];
const refusals: AuditEntry[] = [];
let onAction: HubHandlers["onAction"];
const handlers: HubHandlers = {
  snapshot: () => ({ type: "snapshot", patients: [], alerts: [] }),
  onReceived: () => undefined,
  onAction: (...args) => onAction(...args),
  onClientCount: (n) => counts.push(n),
  auditRefusal: (entry) => refusals.push(entry),
};

let authFile: string;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
  counts.length = 0;
  refusals.length = 0;
  onAction = () => undefined;
  authFile = join(mkdtempSync(join(tmpdir(), "vg-hub-")), "auth.db");
  tokens = new TokenStore(authFile, () => Date.now());
  token = tokens.createToken("nurse", "nurse-hub").token;
  metrics = createMetrics();
  sessionNow = 1_000;
  sessions = new Sessions(tokens, 60_000, () => sessionNow);
  hub = new WsHub(sessions, metrics, handlers, () => 0, 4096);
  server = createServer();
  server.on("upgrade", (req, socket, head) => hub.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
});

afterEach(async () => {
  await hub.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  tokens.close();
  vi.useRealTimers();
});

/** A connected client that has seen its greeting; `next` waits for the next message of a type. */
async function connect(options: WebSocket.ClientOptions = {}, headers: Record<string, string> = { authorization: `Bearer ${token}` }) {
  const ws = new WebSocket(url, { ...options, headers });
  const inbox: ServerMessage[] = [];
  const waiters: (() => void)[] = [];
  ws.on("message", (d) => {
    inbox.push(JSON.parse((d as Buffer).toString("utf8")) as ServerMessage);
    for (const w of waiters.splice(0)) w();
  });
  const next = async <T extends ServerMessage["type"]>(type: T): Promise<Extract<ServerMessage, { type: T }>> => {
    for (;;) {
      const i = inbox.findIndex((m) => m.type === type);
      if (i >= 0) return inbox.splice(i, 1)[0] as Extract<ServerMessage, { type: T }>;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  await new Promise<void>((resolve, reject) => ws.once("open", () => resolve()).once("error", reject));
  await next("snapshot");
  return { ws, next };
}

const closed = (ws: WebSocket) => new Promise<void>((resolve) => ws.once("close", () => resolve()));
/** The next ping; fails at once if the hub closes the socket instead. */
const pingOrFail = (ws: WebSocket) =>
  new Promise<void>((resolve, reject) => {
    ws.once("ping", () => resolve());
    ws.once("close", (code) => reject(new Error(`socket closed (${code}) instead of pinged`)));
  });

describe("WsHub heartbeat", () => {
  it("keeps a console that answers pings connected across several heartbeats", async () => {
    const { ws, next } = await connect();
    for (let beat = 0; beat < 3; beat++) {
      const pinged = pingOrFail(ws);
      vi.advanceTimersByTime(HEARTBEAT_MS);
      await pinged;
      // The automatic pong is written before this message, so the hub has seen it once it answers.
      ws.send(JSON.stringify({ type: "ping" }));
      await next("pong");
    }
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(hub.clientCount).toBe(1);
    ws.close();
  });

  it("terminates a console that stops answering pings, and reports nobody watching", async () => {
    const { ws } = await connect({ autoPong: false });
    const pinged = pingOrFail(ws);
    vi.advanceTimersByTime(HEARTBEAT_MS);
    await pinged;
    expect(ws.readyState).toBe(WebSocket.OPEN);
    const gone = closed(ws);
    vi.advanceTimersByTime(HEARTBEAT_MS);
    await gone;
    await vi.waitFor(() => expect(counts.at(-1)).toBe(0));
    expect(hub.clientCount).toBe(0);
  });
});

describe("WsHub message handling", () => {
  it("answers and counts a handler that throws, and keeps the socket and the daemon running", async () => {
    onAction = () => {
      throw new Error("SQLITE_FULL: database or disk is full");
    };
    const { ws, next } = await connect();
    ws.send(JSON.stringify({ type: "ack", alertId: "a-1" }));
    const error = await next("error");
    expect(error.code).toBe("action_failed");
    expect(error.message).toContain("may not have been recorded");
    expect(error.message).not.toContain("SQLITE"); // internals stay in the gateway
    ws.send(JSON.stringify({ type: "ping" }));
    await next("pong");
    const counted = (await metrics.rejected.get()).values.find((v) => v.labels.code === "action_failed" && v.labels.stage === "ws");
    expect(counted?.value).toBe(1);
    ws.close();
  });
});

describe("WsHub and console sessions", () => {
  it("counts a console's WebSocket messages as session activity", async () => {
    const cookie = { cookie: `vg_session=${sessions.create({ tokenId: tokens.createToken("nurse", "nurse-ws").id, name: "nurse-ws", role: "nurse" })}` };
    const { ws, next } = await connect({}, cookie);
    for (let i = 0; i < 3; i++) {
      sessionNow += 50_000; // under the 60 s idle time each, 150 s in all
      ws.send(JSON.stringify({ type: "ping" }));
      await next("pong");
    }
    const again = await connect({}, cookie); // a reconnect is still signed in
    expect(again.ws.readyState).toBe(WebSocket.OPEN);
    again.ws.close();
    ws.close();
  });
});

/** The close code and reason the client saw. */
const closeOf = (ws: WebSocket) => new Promise<{ code: number; reason: string }>((resolve) => ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));

describe("WsHub: a console's rights end with its credential (issue 9 item 5)", () => {
  const nurseSession = (name = "nurse-rv") => {
    const tokenId = tokens.createToken("nurse", name).id;
    return { tokenId, cookie: { cookie: `vg_session=${sessions.create({ tokenId, name, role: "nurse" })}` } };
  };

  it("closes a session's socket at the next sweep once another process revoked its token", async () => {
    const { tokenId, cookie } = nurseSession();
    const { ws } = await connect({}, cookie);
    const other = new TokenStore(authFile, () => Date.now()); // `token revoke` is another process on auth.db
    expect(other.revoke(tokenId)).toBe(true);
    other.close();
    const closing = closeOf(ws);
    vi.advanceTimersByTime(SWEEP_MS);
    expect(await closing).toEqual({ code: CLOSE_UNAUTHORIZED, reason: "session revoked or signed out" });
    expect(hub.clientCount).toBe(0);
    await expect(connect({}, cookie)).rejects.toThrow(/401/);
  });

  it("closes a bearer token's socket once the token is revoked in this process", async () => {
    const { ws } = await connect();
    tokens.revoke(tokens.list().find((t) => t.name === "nurse-hub")!.id);
    const closing = closeOf(ws);
    vi.advanceTimersByTime(SWEEP_MS);
    expect((await closing).code).toBe(CLOSE_UNAUTHORIZED);
  });

  it("closes a socket whose session went idle past its expiry (injected clock), and not before", async () => {
    const { cookie } = nurseSession();
    const { ws, next } = await connect({}, cookie);
    sessionNow += 59_000;
    vi.advanceTimersByTime(SWEEP_MS * 4);
    ws.send(JSON.stringify({ type: "ping" })); // still open, and this counts as activity
    await next("pong");
    sessionNow += 59_000;
    vi.advanceTimersByTime(SWEEP_MS);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    const closing = closeOf(ws);
    sessionNow += 2_000; // 61 s since the last activity
    vi.advanceTimersByTime(SWEEP_MS);
    expect(await closing).toEqual({ code: CLOSE_UNAUTHORIZED, reason: "session expired" });
  });

  it("closes the socket of a session signed out (POST /logout)", async () => {
    const tokenId = tokens.createToken("nurse", "nurse-out").id;
    const id = sessions.create({ tokenId, name: "nurse-out", role: "nurse" });
    const { ws } = await connect({}, { cookie: `vg_session=${id}` });
    sessions.end(id);
    const closing = closeOf(ws);
    vi.advanceTimersByTime(SWEEP_MS);
    expect((await closing).code).toBe(CLOSE_UNAUTHORIZED);
  });

  it("refuses an ack sent after the revocation and before the sweep, audits it as refused under no name, and closes", async () => {
    let acted = false;
    onAction = () => {
      acted = true;
      return undefined;
    };
    const { tokenId, cookie } = nurseSession("Nurse Revoked");
    const { ws } = await connect({}, cookie);
    const other = new TokenStore(authFile, () => Date.now());
    other.revoke(tokenId);
    other.close();
    const closing = closeOf(ws);
    ws.send(JSON.stringify({ type: "ack", alertId: "a-1" })); // no sweep has run: the message itself is checked
    expect((await closing).code).toBe(CLOSE_UNAUTHORIZED);
    expect(acted).toBe(false);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ type: "action_rejected", data: { reason: "session_revoked", action: "ack", tokenId } });
    expect(JSON.stringify(refusals[0])).not.toContain("Nurse Revoked");
  });
});

describe("WsHub: an unreadable auth.db", () => {
  it("is counted by the sweep, never thrown out of its timer, and the console stays open", async () => {
    const { ws } = await connect();
    tokens.close(); // every query now throws
    expect(() => vi.advanceTimersByTime(SWEEP_MS * 2)).not.toThrow();
    const counted = (await metrics.rejected.get()).values.find((v) => v.labels.code === "auth_db_error");
    expect(counted?.value).toBe(2);
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe("WsHub: only nurse-capable roles count as a nurse console (issue 9 item 6)", () => {
  it("does not report a viewer as a nurse console, and does report a nurse", async () => {
    const viewer = tokens.createToken("viewer", "corridor").token;
    const v = await connect({}, { authorization: `Bearer ${viewer}` });
    expect(hub.clientCount).toBe(1);
    expect(counts.filter((n) => n > 0)).toEqual([]); // nobody who can act: the alarm stays
    const n = await connect();
    await vi.waitFor(() => expect(counts.at(-1)).toBe(1));
    n.ws.close();
    await vi.waitFor(() => expect(counts.at(-1)).toBe(0));
    expect(hub.clientCount).toBe(1); // the viewer is still connected, and counts for nothing
    v.ws.close();
  });
});

describe("WsHub broadcast cost", () => {
  it("serialises nothing while no console is connected, and delivers once one is", async () => {
    const reading = { type: "reading", reading: { patientId: "p1", deviceId: "d1", vital: "heart_rate", value: 72, unit: "/min", time: 1, receivedAt: 1 } } as unknown as ServerMessage;
    const stringify = vi.spyOn(JSON, "stringify");
    try {
      hub.broadcast(reading);
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
    const client = await connect();
    hub.broadcast(reading);
    expect(await client.next("reading")).toMatchObject({ reading: { value: 72 } });
    client.ws.close();
  });
});
