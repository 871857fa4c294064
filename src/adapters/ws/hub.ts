/**
 * The nurse-facing WebSocket hub. Authentication happens during the HTTP upgrade: no valid
 * session or token → 401 and no socket (DESIGN §4); a foreign Origin → 403 (cross-site
 * WebSocket hijacking). Alerts are never dropped for a slow client; readings are.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { Principal } from "../sqlite/tokenStore.js";
import type { Metrics } from "../http/metrics.js";
import { cookie, SESSION_COOKIE, type Sessions } from "../http/sessions.js";
import { parseClientMessage, type ClientMessage, type NurseAction, type ServerMessage } from "./messages.js";

export interface HubHandlers {
  /** What a new client sees first. */
  snapshot(): Extract<ServerMessage, { type: "snapshot" }>;
  /** A client confirmed it has shown an alert. */
  onReceived(alertId: string, at: number): void;
  /** A nurse acknowledged or paused an alert, or entered ACVPU / oxygen; returns why it was refused, if it was. */
  onAction(action: NurseAction, who: Principal, client: string): string | undefined;
  /** The number of connected consoles changed (0: nobody is watching). */
  onClientCount(n: number): void;
}

const SLOW_CLIENT_BYTES = 1 << 20;
/** A console that has not answered a ping within this long is gone (a pulled cable sends no FIN). */
export const HEARTBEAT_MS = 30_000;

export class WsHub {
  private readonly wss: WebSocketServer;
  private readonly clients = new Map<WebSocket, Principal>();
  private readonly heartbeat: NodeJS.Timeout;
  /** Clients that answered the last ping (or connected since it); the others are dead and terminated. */
  private readonly alive = new WeakSet<WebSocket>();

  constructor(
    private readonly sessions: Sessions,
    private readonly metrics: Metrics,
    private readonly handlers: HubHandlers,
    private readonly now: () => number,
    maxPayload: number,
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload });
    this.heartbeat = setInterval(() => {
      for (const ws of this.clients.keys()) {
        if (!this.alive.has(ws)) {
          ws.terminate();
          continue;
        }
        this.alive.delete(ws);
        ws.ping();
      }
    }, HEARTBEAT_MS).unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: 401 | 403, reason: string) => {
      this.metrics.wsUpgradesRefused.inc({ reason });
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? "Unauthorized" : "Forbidden"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const origin = req.headers.origin;
    if (origin !== undefined && !sameOrigin(origin, req.headers.host)) return refuse(403, "origin");
    const principal = this.sessions.principalOf(req);
    if (!principal) return refuse(401, "unauthenticated");
    const sessionId = cookie(req, SESSION_COOKIE);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, principal, req.socket.remoteAddress ?? "unknown", sessionId));
  }

  broadcast(message: ServerMessage): void {
    if (this.clients.size === 0) return; // no console: no serialising every reading for nobody (issue 15)
    const text = JSON.stringify(message);
    for (const ws of this.clients.keys()) {
      if (message.type === "reading" && ws.bufferedAmount > SLOW_CLIENT_BYTES) continue;
      ws.send(text);
      if (message.type === "alert") this.metrics.alertsDelivered.inc();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const ws of this.clients.keys()) ws.close(1001, "gateway shutting down");
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket, principal: Principal, client: string, sessionId: string | undefined): void {
    // A console on its WebSocket makes no HTTP requests: its messages and its close count as activity.
    const touch = () => sessionId !== undefined && this.sessions.touch(sessionId);
    this.clients.set(ws, principal);
    // With noServer, ws emits no 'connection' event: the pong listener must be attached here, and a
    // new client counts as alive until it has missed one ping.
    this.alive.add(ws);
    ws.on("pong", () => this.alive.add(ws));
    ws.on("close", () => {
      touch();
      this.clients.delete(ws);
      this.countChanged();
    });
    ws.on("error", () => ws.terminate());
    ws.on("message", (data, isBinary) => {
      // A throw here would escape the socket's 'data' event and end the daemon: a handler that
      // fails (alarms.db unwritable…) is answered and counted instead, and the socket stays open.
      touch();
      try {
        this.onMessage(ws, principal, client, isBinary ? undefined : textOf(data));
      } catch {
        this.metrics.rejected.inc({ code: "action_failed", stage: "ws" });
        send(ws, { type: "error", code: "action_failed", message: "the gateway failed while handling this message; it may not have been recorded: check the alert and try again" });
      }
    });
    send(ws, { type: "hello", user: principal.name, role: principal.role });
    send(ws, this.handlers.snapshot());
    this.countChanged(); // after the greeting: what it triggers is news to this client too
  }

  private countChanged(): void {
    this.metrics.wsClients.set(this.clients.size);
    this.handlers.onClientCount(this.clients.size);
  }

  private onMessage(ws: WebSocket, principal: Principal, client: string, text: string | undefined): void {
    const parsed = text === undefined ? { ok: false as const, why: "binary messages are not accepted" } : parseClientMessage(text);
    if (!parsed.ok) {
      this.metrics.rejected.inc({ code: "bad_ws_message", stage: "ws" });
      return send(ws, { type: "error", code: "bad_ws_message", message: `WebSocket message refused: ${parsed.why}` });
    }
    const msg: ClientMessage = parsed.message;
    switch (msg.type) {
      case "ping":
        return send(ws, { type: "pong" });
      case "received":
        return this.handlers.onReceived(msg.alertId, this.now());
      case "ack":
      case "pause":
      case "clinical": {
        if (principal.role === "viewer") return send(ws, { type: "error", code: "forbidden", message: `a viewer cannot send '${msg.type}'` });
        const refused = this.handlers.onAction(msg, principal, client);
        if (refused !== undefined) send(ws, { type: "error", code: "action_refused", message: refused });
        return;
      }
      default:
        return msg satisfies never;
    }
  }
}

function send(ws: WebSocket, message: ServerMessage): void {
  ws.send(JSON.stringify(message));
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return (Buffer.isBuffer(data) ? data : Buffer.from(new Uint8Array(data))).toString("utf8");
}
