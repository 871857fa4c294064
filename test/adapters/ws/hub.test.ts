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
import { HEARTBEAT_MS, WsHub, type HubHandlers } from "../../../src/adapters/ws/hub.js";
import type { ServerMessage } from "../../../src/adapters/ws/messages.js";

let server: Server;
let hub: WsHub;
let tokens: TokenStore;
let metrics: Metrics;
let url: string;
let token: string;
let sessions: Sessions;
let sessionNow = 0;
const counts: number[] = [];
let onAction: HubHandlers["onAction"];
const handlers: HubHandlers = {
  snapshot: () => ({ type: "snapshot", patients: [], alerts: [] }),
  onReceived: () => undefined,
  onAction: (...args) => onAction(...args),
  onClientCount: (n) => counts.push(n),
};

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
  counts.length = 0;
  onAction = () => undefined;
  tokens = new TokenStore(join(mkdtempSync(join(tmpdir(), "vg-hub-")), "auth.db"), () => Date.now());
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
