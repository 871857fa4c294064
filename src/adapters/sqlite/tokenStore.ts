/**
 * Access tokens, one-time login codes and console sessions, stored only as SHA-256 hashes in
 * auth.db (WAL + FULL). There are no default credentials: the first token comes from
 * `vitals-gateway token create`. `token revoke` runs in another process on the same file: the
 * daemon notices through `changeCount()` (SQLite's data_version), not through a message.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { openDatabase } from "./open.js";

import type { Role } from "../../core/roles.js";

export { ROLES, isRole, type Role } from "../../core/roles.js";

export interface Principal {
  readonly tokenId: string;
  readonly name: string;
  readonly role: Role;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS credentials (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('token', 'login_code')),
  name TEXT NOT NULL, role TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL, expires_at INTEGER, used_at INTEGER, revoked_at INTEGER
);
CREATE TABLE IF NOT EXISTS sessions (
  hash TEXT PRIMARY KEY, token_id TEXT NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL, last_seen INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_token ON sessions (token_id);
`;

/** A stored console session: who it speaks for and when it was last used (as last written). */
export interface StoredSession {
  readonly principal: Principal;
  readonly lastSeen: number;
  /** The credential it was opened with has been revoked since. */
  readonly revoked: boolean;
}

const sha256 = (secret: string): string => createHash("sha256").update(secret).digest("hex");

export class TokenStore {
  private readonly db: Database.Database;
  private readonly dataVersion: Database.Statement<[], { data_version: number }>;
  /** Prepared once: these run on every console message and every sweep that re-checks. */
  private readonly sessionByHash: Database.Statement<[string], { id: string; name: string; role: string; revoked_at: number | null; last_seen: number }>;
  private readonly revokedAt: Database.Statement<[string], { revoked_at: number | null }>;
  private readonly setLastSeen: Database.Statement<[number, string, number]>;
  /** Writes on this connection, which data_version does not count. */
  private ownWrites = 0;

  constructor(file: string, private readonly now: () => number) {
    this.db = openDatabase(file, "full", SCHEMA);
    this.dataVersion = this.db.prepare("PRAGMA data_version");
    this.sessionByHash = this.db.prepare("SELECT c.id, c.name, c.role, c.revoked_at, s.last_seen FROM sessions s JOIN credentials c ON c.id = s.token_id WHERE s.hash = ?");
    this.revokedAt = this.db.prepare("SELECT revoked_at FROM credentials WHERE id = ?");
    this.setLastSeen = this.db.prepare("UPDATE sessions SET last_seen = ? WHERE hash = ? AND last_seen < ?");
  }

  /**
   * Changes whenever auth.db changed, by this connection or any other process (`token revoke`).
   * One pragma read, no table access: cheap enough to poll every few hundred milliseconds.
   */
  changeCount(): number {
    return this.dataVersion.get()!.data_version + this.ownWrites;
  }

  /** A long-lived bearer token; the secret is returned once and never stored. */
  createToken(role: Role, name: string): { id: string; token: string } {
    return this.create("token", role, name, "vgt_", undefined);
  }

  /** A short-lived code for a login link; it works once. */
  createLoginCode(role: Role, name: string, ttlMs: number): { id: string; token: string } {
    return this.create("login_code", role, name, "vgl_", this.now() + ttlMs);
  }

  verifyToken(secret: string): Principal | undefined {
    const row = this.find(secret, "token");
    return row && row.revoked_at === null ? { tokenId: row.id, name: row.name, role: row.role as Role } : undefined;
  }

  /** Redeems a login code: valid, unexpired and unused, then marked used in the same transaction. */
  redeemLoginCode(secret: string): Principal | undefined {
    return this.db.transaction((): Principal | undefined => {
      const row = this.find(secret, "login_code");
      if (!row || row.used_at !== null || row.revoked_at !== null || (row.expires_at ?? 0) < this.now()) return undefined;
      this.db.prepare("UPDATE credentials SET used_at = ? WHERE id = ?").run(this.now(), row.id);
      return { tokenId: row.id, name: row.name, role: row.role as Role };
    })();
  }

  isRevoked(id: string): boolean {
    const row = this.revokedAt.get(id);
    return row === undefined || row.revoked_at !== null;
  }

  /** Every credential without its secret (there is none stored): for `token list`. */
  list(): { id: string; kind: string; name: string; role: string; createdAt: number; expiresAt: number | null; usedAt: number | null; revokedAt: number | null }[] {
    return this.db
      .prepare("SELECT id, kind, name, role, created_at AS createdAt, expires_at AS expiresAt, used_at AS usedAt, revoked_at AS revokedAt FROM credentials ORDER BY created_at, id")
      .all() as ReturnType<TokenStore["list"]>;
  }

  /** Ends the credential and, in the same transaction, every console session opened with it. */
  revoke(id: string): boolean {
    this.ownWrites++;
    return this.db.transaction(() => {
      const changed = this.db.prepare("UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(this.now(), id).changes === 1;
      if (changed) this.db.prepare("DELETE FROM sessions WHERE token_id = ?").run(id);
      return changed;
    })();
  }

  /** Stores a session by the hash of its id: a stolen auth.db gives no usable cookie. */
  saveSession(id: string, tokenId: string, at: number): void {
    this.db.prepare("INSERT INTO sessions (hash, token_id, created_at, last_seen) VALUES (?, ?, ?, ?)").run(sha256(id), tokenId, at, at);
  }

  session(id: string): StoredSession | undefined {
    const row = this.sessionByHash.get(sha256(id));
    return row && { principal: { tokenId: row.id, name: row.name, role: row.role as Role }, lastSeen: row.last_seen, revoked: row.revoked_at !== null };
  }

  touchSession(id: string, at: number): void {
    this.setLastSeen.run(at, sha256(id), at);
  }

  endSession(id: string): void {
    this.ownWrites++;
    this.db.prepare("DELETE FROM sessions WHERE hash = ?").run(sha256(id));
  }

  /** Forgets sessions unused since `before`, so the table cannot grow with every login. */
  endIdleSessions(before: number): void {
    this.db.prepare("DELETE FROM sessions WHERE last_seen < ?").run(before);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private create(kind: "token" | "login_code", role: Role, name: string, prefix: string, expiresAt: number | undefined) {
    const id = randomUUID();
    const token = prefix + randomBytes(32).toString("base64url");
    this.db
      .prepare("INSERT INTO credentials (id, kind, name, role, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(id, kind, name, role, sha256(token), this.now(), expiresAt ?? null);
    return { id, token };
  }

  private find(secret: string, kind: string) {
    if (secret.length > 200) return undefined;
    return this.db.prepare("SELECT * FROM credentials WHERE hash = ? AND kind = ?").get(sha256(secret), kind) as
      | { id: string; name: string; role: string; expires_at: number | null; used_at: number | null; revoked_at: number | null }
      | undefined;
  }
}
