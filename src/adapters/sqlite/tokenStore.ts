/**
 * Access tokens and one-time login codes, stored only as SHA-256 hashes in auth.db (WAL + FULL).
 * There are no default credentials: the first token comes from `vitals-gateway token create`.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { openDatabase } from "./open.js";
import { ROLES, isRole, type Role } from "../../core/gateway.js";
export { ROLES, isRole, type Role }; // the roles are domain constants (core/gateway.ts)

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
`;

const sha256 = (secret: string): string => createHash("sha256").update(secret).digest("hex");

export class TokenStore {
  private readonly db: Database.Database;

  constructor(file: string, private readonly now: () => number) {
    this.db = openDatabase(file, "full", SCHEMA);
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
    const row = this.db.prepare("SELECT revoked_at FROM credentials WHERE id = ?").get(id) as { revoked_at: number | null } | undefined;
    return row === undefined || row.revoked_at !== null;
  }

  /** Every credential without its secret (there is none stored): for `token list`. */
  list(): { id: string; kind: string; name: string; role: string; createdAt: number; expiresAt: number | null; usedAt: number | null; revokedAt: number | null }[] {
    return this.db
      .prepare("SELECT id, kind, name, role, created_at AS createdAt, expires_at AS expiresAt, used_at AS usedAt, revoked_at AS revokedAt FROM credentials ORDER BY created_at, id")
      .all() as ReturnType<TokenStore["list"]>;
  }

  revoke(id: string): boolean {
    return this.db.prepare("UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(this.now(), id).changes === 1;
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
