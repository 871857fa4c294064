/**
 * The append-only, hash-chained audit log in alarms.db (DESIGN §5, IEC 60601-1-8 6.12 alarm log,
 * ALM-8). Triggers refuse UPDATE and DELETE; `verify()` does not rely on them: it recomputes the
 * chain (src/core/audit/chain.ts), so tampering with the triggers dropped is still detected.
 * Limitation: someone who can rewrite every row and the head consistently is only caught by an
 * external copy of the head hash (publish `head()` upstream).
 */
import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import type { AuditEntry } from "../../core/alerting/events.js";
import { canonicalJson } from "../../core/audit/canonical.js";
import { GENESIS_HASH, rowHash, verifyChain, type ChainedRow, type VerifyResult } from "../../core/audit/chain.js";
import { openDatabase } from "./open.js";

export const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

export const AUDIT_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  type TEXT NOT NULL,
  patient_id TEXT,
  alert_id TEXT,
  actor TEXT,
  data TEXT NOT NULL,
  prev TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_alert ON audit_log(alert_id);
CREATE TABLE IF NOT EXISTS audit_head (one INTEGER PRIMARY KEY CHECK (one = 1), last_id INTEGER NOT NULL, last_hash TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`;

interface DbRow {
  id: number;
  at: number;
  type: string;
  patient_id: string | null;
  alert_id: string | null;
  actor: string | null;
  data: string;
  prev: string;
  hash: string;
}

export class SqliteAuditLog {
  private readonly insert: Database.Statement;
  private readonly setHead: Database.Statement;
  private readonly getHead: Database.Statement<[], { last_id: number; last_hash: string }>;
  private readonly appendTxn: (entries: readonly AuditEntry[]) => ChainedRow[];

  /** Uses an open alarms.db connection (so appends can share the outbox's transaction). */
  constructor(private readonly db: Database.Database) {
    db.exec(AUDIT_SCHEMA);
    this.insert = db.prepare("INSERT INTO audit_log (id, at, type, patient_id, alert_id, actor, data, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    this.setHead = db.prepare("INSERT INTO audit_head (one, last_id, last_hash) VALUES (1, ?, ?) ON CONFLICT(one) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash");
    this.getHead = db.prepare("SELECT last_id, last_hash FROM audit_head WHERE one = 1");
    this.appendTxn = db.transaction((entries: readonly AuditEntry[]) => {
      const head = this.getHead.get();
      let id = head?.last_id ?? 0;
      let prev = head?.last_hash ?? GENESIS_HASH;
      const out: ChainedRow[] = [];
      for (const e of entries) {
        id++;
        // Round-trip through canonical JSON so what is hashed is exactly what verify re-reads.
        const data = JSON.parse(canonicalJson(e.data)) as unknown;
        const body = { id, at: e.at, type: e.type, patientId: e.patientId ?? null, alertId: e.alertId ?? null, actor: e.actor ?? null, data, prev };
        const row: ChainedRow = { ...body, hash: rowHash(body, sha256) };
        this.insert.run(id, row.at, row.type, row.patientId, row.alertId, row.actor ? canonicalJson(row.actor) : null, canonicalJson(data), prev, row.hash);
        out.push(row);
        prev = row.hash;
      }
      this.setHead.run(id, prev);
      return out;
    });
  }

  /** Opens alarms.db on its own connection, WAL + synchronous FULL (ALM-8: survives power loss). */
  static openFile(path: string): { log: SqliteAuditLog; db: Database.Database } {
    const db = openDatabase(path, "full", AUDIT_SCHEMA);
    return { log: new SqliteAuditLog(db), db };
  }

  append(entry: AuditEntry): ChainedRow {
    return this.appendTxn([entry])[0]!;
  }

  /** Appends all in one transaction (or inside the caller's, if one is open). */
  appendAll(entries: readonly AuditEntry[]): ChainedRow[] {
    return entries.length === 0 ? [] : this.appendTxn(entries);
  }

  head(): { lastId: number; lastHash: string } {
    return readHead(this.db);
  }

  verify(): VerifyResult {
    return verifyAuditDb(this.db);
  }
}

function readHead(db: Database.Database): { lastId: number; lastHash: string } {
  const h = db.prepare("SELECT last_id, last_hash FROM audit_head WHERE one = 1").get() as { last_id: number; last_hash: string } | undefined;
  return { lastId: h?.last_id ?? 0, lastHash: h?.last_hash ?? GENESIS_HASH };
}

/** Verifies without writing anything (works on a read-only connection). */
export function verifyAuditDb(db: Database.Database): VerifyResult {
  const rows = function* (): Generator<ChainedRow | { id: number; unreadable: true }> {
    for (const r of db.prepare("SELECT * FROM audit_log ORDER BY id").iterate() as IterableIterator<DbRow>) yield fromDb(r);
  };
  return verifyChain(rows(), sha256, readHead(db));
}

export function hasAuditLog(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name IN ('audit_log', 'audit_head')").all().length === 2;
}

function fromDb(r: DbRow): ChainedRow | { id: number; unreadable: true } {
  try {
    return { id: r.id, at: r.at, type: r.type, patientId: r.patient_id, alertId: r.alert_id, actor: r.actor === null ? null : (JSON.parse(r.actor) as ChainedRow["actor"]), data: JSON.parse(r.data) as unknown, prev: r.prev, hash: r.hash };
  } catch {
    return { id: r.id, unreadable: true };
  }
}
