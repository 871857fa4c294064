/**
 * The HTTP server against raw sockets: an upgrade request whose target is not a URL is refused
 * with 400, before authentication, and the server keeps serving (it used to throw out of the
 * 'upgrade' listener and end the process).
 */
import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics } from "../../../src/adapters/http/metrics.js";
import { startHttpServer } from "../../../src/adapters/http/server.js";
import { Sessions } from "../../../src/adapters/http/sessions.js";
import { TokenStore } from "../../../src/adapters/sqlite/tokenStore.js";
import { WsHub } from "../../../src/adapters/ws/hub.js";

let server: Server;
let url: URL;
let tokens: TokenStore;
let hub: WsHub;

beforeAll(async () => {
  tokens = new TokenStore(join(mkdtempSync(join(tmpdir(), "vg-http-")), "auth.db"), () => Date.now());
  const metrics = createMetrics();
  const sessions = new Sessions(tokens, 60_000, () => Date.now());
  const handlers = { snapshot: () => ({ type: "snapshot", patients: [], alerts: [] }) as const, onReceived: () => undefined, onAction: () => undefined, onClientCount: () => undefined, auditRefusal: () => undefined };
  hub = new WsHub(sessions, metrics, handlers, () => 0, 4096);
  const started = await startHttpServer("127.0.0.1", 0, { metrics, sessions, tokens, hub, readiness: () => ({ ready: true, checks: {} }) });
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
