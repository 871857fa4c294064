/**
 * Console sessions: a login (one-time link or a pasted token) becomes an opaque session id in an
 * HttpOnly, SameSite=Strict cookie. Sessions live in memory: a restart logs everyone out, which
 * is the safe direction. Scripts and tests use `Authorization: Bearer <token>` instead.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Principal, TokenStore } from "../sqlite/tokenStore.js";

export const SESSION_COOKIE = "vg_session";

export class Sessions {
  private readonly sessions = new Map<string, { principal: Principal; lastSeen: number }>();

  constructor(private readonly tokens: TokenStore, private readonly idleMs: number, private readonly now: () => number) {}

  create(principal: Principal): string {
    // Forget idle sessions here, so the map cannot grow with every login.
    for (const [old, s] of this.sessions) if (this.now() - s.lastSeen > this.idleMs) this.sessions.delete(old);
    const id = randomBytes(32).toString("base64url");
    this.sessions.set(id, { principal, lastSeen: this.now() });
    return id;
  }

  /** Activity on a console's WebSocket (a message, or the socket closing) keeps its session alive. */
  touch(id: string): void {
    const s = this.sessions.get(id);
    if (s && this.now() - s.lastSeen <= this.idleMs) s.lastSeen = this.now();
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  /** Who is asking: a live session cookie or a valid bearer token; undefined if neither. */
  principalOf(req: IncomingMessage): Principal | undefined {
    const auth = req.headers.authorization;
    if (auth?.startsWith("Bearer ")) return this.tokens.verifyToken(auth.slice(7).trim());
    const id = cookie(req, SESSION_COOKIE);
    const s = id === undefined ? undefined : this.sessions.get(id);
    if (!s || id === undefined) return undefined;
    // Idle too long, or the token it was opened with has been revoked since: the session ends.
    if (this.now() - s.lastSeen > this.idleMs || this.tokens.isRevoked(s.principal.tokenId)) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastSeen = this.now();
    return s.principal;
  }

  /**
   * No Max-Age: the gateway ends a session after idleMs without activity (principalOf); a cookie
   * Max-Age would end it idleMs after the login instead, however busy the console was.
   */
  cookieHeader(id: string): string {
    return `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

export function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}
