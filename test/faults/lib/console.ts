/**
 * A logged-in nurse (or viewer) console over the real WebSocket, as the browser's console.js
 * uses it: every message is kept with its arrival time, so the suite can say when an alarm was
 * shown, and when the server closed the socket.
 */
import WebSocket from "ws";
import type { Alert } from "../../../src/core/model.js";
import type { ServerMessage } from "../../../src/adapters/ws/messages.js";
import { pollFor } from "./wait.js";

export interface Seen {
  readonly at: number;
  readonly message: ServerMessage;
}

export class Console {
  readonly seen: Seen[] = [];
  closedAt: number | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      try {
        this.seen.push({ at: Date.now(), message: JSON.parse((data as Buffer).toString("utf8")) as ServerMessage });
      } catch {
        // not JSON: the server never sends that; ignored rather than crashing the suite
      }
    });
    ws.on("close", () => (this.closedAt ??= Date.now()));
    ws.on("error", () => undefined);
  }

  /** `auth`: `Bearer <token>` or a `Cookie` header value. Rejects on 401/403. */
  static async open(baseUrl: string, headers: Record<string, string>): Promise<Console> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}ws`, { headers, maxPayload: 64 * 1024 * 1024 });
    const c = new Console(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("unexpected-response", (_req, res) => reject(new Error(`WebSocket refused: HTTP ${res.statusCode}`)));
      ws.once("error", reject);
    });
    return c;
  }

  send(message: unknown): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(typeof message === "string" || Buffer.isBuffer(message) ? message : JSON.stringify(message));
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Alerts in the first snapshot and every alert message since, in order. */
  alerts(since = 0): { at: number; alert: Alert; event: string }[] {
    const out: { at: number; alert: Alert; event: string }[] = [];
    for (const { at, message } of this.seen) {
      if (at < since) continue;
      if (message.type === "snapshot") for (const alert of message.alerts) out.push({ at, alert, event: "snapshot" });
      if (message.type === "alert") out.push({ at, alert: message.alert, event: message.event });
    }
    return out;
  }

  /** The first alert matching `match` shown at or after `since`, waiting up to `timeoutMs`. */
  waitAlert(match: (a: Alert, event: string) => boolean, since: number, timeoutMs: number): Promise<{ at: number; alert: Alert } | undefined> {
    return pollFor(() => this.alerts(since).find((x) => match(x.alert, x.event)), timeoutMs, 50);
  }

  snapshot(timeoutMs = 10_000): Promise<Alert[] | undefined> {
    return pollFor(() => {
      const s = this.seen.find((x) => x.message.type === "snapshot")?.message;
      return s?.type === "snapshot" ? [...s.alerts] : undefined;
    }, timeoutMs, 50);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** A technical alarm of the gateway itself, other than the ones every start shows. */
export const isLinkAlarm = (a: Alert): boolean => a.kind === "technical" && !/no_nurse_client|model/.test(a.cause);
export const isResolved = (a: Alert, event: string): boolean => a.state === "resolved" || event === "resolve";
