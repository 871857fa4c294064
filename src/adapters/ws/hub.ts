/**
 * The nurse-facing WebSocket hub. Authentication happens during the HTTP upgrade: no valid
 * session or token → 401 and no socket (DESIGN §4); a foreign Origin → 403 (cross-site
 * WebSocket hijacking). It does not end there: every message is authorised against the
 * credential's current validity, and a sweep closes the socket of a revoked, expired or signed-out
 * console within SWEEP_MS (close code 4401). Alerts are never dropped for a slow client; readings are.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { AuditEntry } from "../../core/alerting/events.js";
import { isNurseCapable } from "../../core/roles.js";
import type { Principal } from "../sqlite/tokenStore.js";
import type { Metrics } from "../http/metrics.js";
import type { Credential, Sessions, Validity } from "../http/sessions.js";
import { parseClientMessage, type ClientMessage, type NurseAction, type ServerMessage } from "./messages.js";

export interface HubHandlers {
  /** What a new client sees first. */
  snapshot(): Extract<ServerMessage, { type: "snapshot" }>;
  /** A client confirmed it has shown an alert. */
  onReceived(alertId: string, at: number): void;
  /** A nurse acknowledged or paused an alert, or entered ACVPU / oxygen; returns why it was refused, if it was. */
  onAction(action: NurseAction, who: Principal, client: string): string | undefined;
  /** The number of connected nurse-capable consoles changed (0: nobody who can act is watching). */
  onClientCount(n: number): void;
  /** An action from a console whose credential is no longer valid: appended to the audit log. */
  auditRefusal(entry: AuditEntry): void;
}

const SLOW_CLIENT_BYTES = 1 << 20;
/** A console that has not answered a ping within this long is gone (a pulled cable sends no FIN). */
export const HEARTBEAT_MS = 30_000;
/** How often open consoles' credentials are re-checked: revocation and expiry close a socket within this. */
export const SWEEP_MS = 250;
/** The close code of a console whose credential ended (by analogy with HTTP 401); the reason says why. */
export const CLOSE_UNAUTHORIZED = 4401;

interface Client {
  readonly principal: Principal;
  readonly credential: Credential;
  readonly address: string;
}

export class WsHub {
  private readonly wss: WebSocketServer;
  private readonly clients = new Map<WebSocket, Client>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly sweeper: NodeJS.Timeout;
  /** auth.db's change count at the last full re-check, and the earliest idle deadline then. */
  private checkedVersion = -1;
  private nextDeadline = Number.POSITIVE_INFINITY;
  private nurseCount = -1;
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
    this.sweeper = setInterval(() => {
      // A throw from a timer would end the daemon: an unreadable auth.db is counted, the consoles
      // stay open (the alarms matter more), and every message is still checked (and refused).
      try {
        this.sweep();
      } catch {
        this.metrics.rejected.inc({ code: "auth_db_error", stage: "ws" });
      }
    }, SWEEP_MS).unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /**
   * Closes every console whose credential ended. Cheap when nothing changed: one pragma read
   * (auth.db's data_version sees `token revoke` from another process) and a comparison with the
   * earliest idle deadline; only then is each open console's credential looked up.
   */
  sweep(): void {
    const version = this.sessions.changeCount();
    if (version === this.checkedVersion && this.sessions.now() <= this.nextDeadline) return; // the sessions keep the idle clock
    this.checkedVersion = version;
    this.nextDeadline = Number.POSITIVE_INFINITY;
    for (const [ws, client] of this.clients) {
      const validity = this.sessions.validity(client.credential);
      if (validity !== "valid") this.signOut(ws, validity);
      else this.nextDeadline = Math.min(this.nextDeadline, this.sessions.deadline(client.credential) ?? Number.POSITIVE_INFINITY);
    }
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: 401 | 403, reason: string) => {
      this.metrics.wsUpgradesRefused.inc({ reason });
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? "Unauthorized" : "Forbidden"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const origin = req.headers.origin;
    if (origin !== undefined && !sameOrigin(origin, req.headers.host)) return refuse(403, "origin");
    const who = this.sessions.authenticate(req);
    if (!who) return refuse(401, "unauthenticated");
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, { ...who, address: req.socket.remoteAddress ?? "unknown" }));
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
    clearInterval(this.sweeper);
    for (const ws of this.clients.keys()) ws.close(1001, "gateway shutting down");
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket, client: Client): void {
    // A console on its WebSocket makes no HTTP requests: its messages and its close count as activity.
    const touch = () => client.credential.kind === "session" && this.sessions.touch(client.credential.id);
    this.clients.set(ws, client);
    this.nextDeadline = Math.min(this.nextDeadline, this.sessions.deadline(client.credential) ?? Number.POSITIVE_INFINITY);
    // With noServer, ws emits no 'connection' event: the pong listener must be attached here, and a
    // new client counts as alive until it has missed one ping.
    this.alive.add(ws);
    ws.on("pong", () => this.alive.add(ws));
    ws.on("close", () => {
      try {
        touch();
      } catch {
        // auth.db already closed (the gateway is stopping): the last activity is not worth a crash
      }
      this.clients.delete(ws);
      this.countChanged();
    });
    ws.on("error", () => ws.terminate());
    ws.on("message", (data, isBinary) => {
      // A throw here would escape the socket's 'data' event and end the daemon: a handler that
      // fails (alarms.db unwritable…) is answered and counted instead, and the socket stays open.
      if (!this.clients.has(ws)) return; // signed out, closing: nothing it sends counts
      try {
        const validity = this.sessions.validity(client.credential);
        if (validity !== "valid") return this.refuseEnded(ws, client, validity, isBinary ? undefined : textOf(data));
        touch();
        this.onMessage(ws, client.principal, client.address, isBinary ? undefined : textOf(data));
      } catch {
        this.metrics.rejected.inc({ code: "action_failed", stage: "ws" });
        send(ws, { type: "error", code: "action_failed", message: "the gateway failed while handling this message; it may not have been recorded: check the alert and try again" });
      }
    });
    send(ws, { type: "hello", user: client.principal.name, role: client.principal.role });
    send(ws, this.handlers.snapshot());
    this.countChanged(); // after the greeting: what it triggers is news to this client too
  }

  /** Only consoles that can act on an alarm count as "a nurse console connected" (item 6). */
  private countChanged(): void {
    this.metrics.wsClients.set(this.clients.size);
    const nurses = [...this.clients.values()].filter((c) => isNurseCapable(c.principal.role)).length;
    if (nurses === this.nurseCount) return;
    this.nurseCount = nurses;
    this.handlers.onClientCount(nurses);
  }

  private signOut(ws: WebSocket, why: Exclude<Validity, "valid">): void {
    this.metrics.wsSignedOut.inc({ reason: why });
    this.clients.delete(ws); // at once: the close handshake may take a while, the rights end now
    ws.close(CLOSE_UNAUTHORIZED, why === "expired" ? "session expired" : "session revoked or signed out");
    this.countChanged();
  }

  /**
   * A message from a console whose credential ended before the sweep closed it: an action is
   * refused and audited as refused, under no user name (the revoked name must not sign anything).
   */
  private refuseEnded(ws: WebSocket, client: Client, why: Exclude<Validity, "valid">, text: string | undefined): void {
    const parsed = text === undefined ? undefined : parseClientMessage(text);
    const action = parsed?.ok ? parsed.message.type : "unreadable";
    this.metrics.rejected.inc({ code: `session_${why}`, stage: "ws" });
    this.signOut(ws, why); // first: an audit that fails (a full disk) must not leave the socket its rights
    if (action === "ping" || action === "received") return;
    this.handlers.auditRefusal({
      type: "action_rejected",
      at: this.now(),
      actor: { user: "(credential ended)", role: client.principal.role, client: client.address },
      data: { reason: `session_${why}`, action, tokenId: client.principal.tokenId },
    });
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
        if (!isNurseCapable(principal.role)) return send(ws, { type: "error", code: "forbidden", message: `a ${principal.role} cannot send '${msg.type}'` });
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
