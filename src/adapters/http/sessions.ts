/**
 * Console sessions: a login (one-time link or a pasted token) becomes an opaque session id in an
 * HttpOnly, SameSite=Strict cookie. Sessions are stored in auth.db by the hash of their id (never
 * the id itself), so a wall-mounted console comes back by itself after a gateway restart, with
 * the same idle expiry and revocation as before it. Scripts and tests use
 * `Authorization: Bearer <token>` instead.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Principal, TokenStore } from "../sqlite/tokenStore.js";

export const SESSION_COOKIE = "vg_session";

/** What an open console was let in with: re-checked on every message and by the hub's sweep. */
export type Credential = { readonly kind: "session"; readonly id: string } | { readonly kind: "token"; readonly tokenId: string };

/** Why a credential no longer lets its console in. */
export type Validity = "valid" | "revoked" | "expired";

/**
 * last_seen is written to disk (a FULL fsync) at most this often per session; in between it is
 * kept in memory. A restart can therefore shorten a session by up to this much, never lengthen it.
 */
const PERSIST_EVERY_MS = 60_000;

export class Sessions {
  /** The latest activity per session id, newer than what auth.db holds by up to PERSIST_EVERY_MS. */
  private readonly lastSeen = new Map<string, number>();
  private readonly persistEveryMs: number;

  constructor(private readonly tokens: TokenStore, private readonly idleMs: number, readonly now: () => number) {
    this.persistEveryMs = Math.min(PERSIST_EVERY_MS, Math.max(1, Math.floor(idleMs / 10)));
  }

  create(principal: Principal): string {
    // Forget idle sessions here, so the table cannot grow with every login.
    this.tokens.endIdleSessions(this.now() - this.idleMs);
    for (const [id, at] of this.lastSeen) if (this.now() - at > this.idleMs) this.lastSeen.delete(id);
    const id = randomBytes(32).toString("base64url");
    this.tokens.saveSession(id, principal.tokenId, this.now());
    this.lastSeen.set(id, this.now());
    return id;
  }

  /** Activity on a console's WebSocket (a message, or the socket closing) keeps its session alive. */
  touch(id: string): void {
    if (this.validity({ kind: "session", id }) !== "valid") return;
    const stored = this.tokens.session(id)?.lastSeen ?? 0;
    this.lastSeen.set(id, this.now());
    if (this.now() - stored >= this.persistEveryMs) this.tokens.touchSession(id, this.now());
  }

  /** Signs a session out (logout); its open sockets are closed by the hub's next sweep (changeCount moved). */
  end(id: string): void {
    this.lastSeen.delete(id);
    this.tokens.endSession(id);
  }

  /** Changes whenever a session or token may have ended, in this process or another (`token revoke`). */
  changeCount(): number {
    return this.tokens.changeCount();
  }

  /** Who is asking: a live session cookie or a valid bearer token; undefined if neither. */
  principalOf(req: IncomingMessage): Principal | undefined {
    return this.authenticate(req)?.principal;
  }

  /** Like principalOf, with the credential a hub re-checks while the console stays open. */
  authenticate(req: IncomingMessage): { principal: Principal; credential: Credential } | undefined {
    const auth = req.headers.authorization;
    if (auth?.startsWith("Bearer ")) {
      const principal = this.tokens.verifyToken(auth.slice(7).trim());
      return principal && { principal, credential: { kind: "token", tokenId: principal.tokenId } };
    }
    const id = cookie(req, SESSION_COOKIE);
    if (id === undefined) return undefined;
    const stored = this.tokens.session(id);
    if (!stored || this.validity({ kind: "session", id }) !== "valid") return undefined;
    this.touch(id);
    return { principal: stored.principal, credential: { kind: "session", id } };
  }

  /** Whether a console may still act: its token not revoked, its session not idle too long. */
  validity(credential: Credential): Validity {
    if (credential.kind === "token") return this.tokens.isRevoked(credential.tokenId) ? "revoked" : "valid";
    const stored = this.tokens.session(credential.id);
    // Revoking a token deletes its sessions: a session that is gone was revoked or signed out.
    if (!stored || stored.revoked) return "revoked";
    const deadline = this.deadlineOf(credential.id, stored.lastSeen);
    if (this.now() > deadline) {
      this.lastSeen.delete(credential.id);
      return "expired";
    }
    return "valid";
  }

  /** When a session expires if nothing happens meanwhile (undefined: a bearer token, no idle expiry). */
  deadline(credential: Credential): number | undefined {
    if (credential.kind === "token") return undefined;
    const stored = this.tokens.session(credential.id);
    return stored && this.deadlineOf(credential.id, stored.lastSeen);
  }

  /**
   * No Max-Age: the gateway ends a session after idleMs without activity; a cookie Max-Age would
   * end it idleMs after the login instead, however busy the console was.
   */
  cookieHeader(id: string): string {
    return `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/`;
  }

  private deadlineOf(id: string, storedLastSeen: number): number {
    return Math.max(storedLastSeen, this.lastSeen.get(id) ?? 0) + this.idleMs;
  }
}

export function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}
