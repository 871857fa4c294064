/**
 * The append-only, hash-chained audit log in alarms.db (DESIGN §5, IEC 60601-1-8 6.12 alarm log,
 * ALM-8). Triggers refuse UPDATE and DELETE; `verify()` does not rely on them: it recomputes the
 * chain (src/core/audit/chain.ts), so tampering with the triggers dropped is still detected.
 * An entry about an alert also keeps a copy of the alert row as it was written (`alert_body`,
 * hashed into the chain) and anchors that row to itself (alerts.audit_id / audit_hash): the
 * alerts table is checked against the chain, and a truncated tail shows in the rows anchored
 * there (src/core/audit/alertsCheck.ts). Limitation: someone who can rewrite every row, the head
 * and the alerts table consistently is only caught by an external copy of the head hash.
 */
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type Database from "better-sqlite3";
import type { AuditEntry } from "../../core/alerting/events.js";
import { canonicalJson } from "../../core/audit/canonical.js";
import { checkAlertsAgainstChain, type AlertProblem, type ChainAlertEntry } from "../../core/audit/alertsCheck.js";
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
  alert_body: string | null;
}

/** Adds what older files lack; the alerts table's anchor columns only if that table is here. */
function migrate(db: Database.Database): boolean {
  const columns = (table: string) => (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
  if (!columns("audit_log").includes("alert_body")) db.exec("ALTER TABLE audit_log ADD COLUMN alert_body TEXT");
  const alerts = columns("alerts");
  if (alerts.length === 0) return false;
  if (!alerts.includes("audit_id")) db.exec("ALTER TABLE alerts ADD COLUMN audit_id INTEGER; ALTER TABLE alerts ADD COLUMN audit_hash TEXT");
  return true;
}

export class SqliteAuditLog {
  private readonly insert: Database.Statement;
  private readonly setHead: Database.Statement;
  private readonly getHead: Database.Statement<[], { last_id: number; last_hash: string }>;
  private readonly appendTxn: (entries: readonly AuditEntry[]) => ChainedRow[];
  /** Appended inside a caller's transaction: the head is checkpointed once that has committed. */
  private checkpointPending = false;

  /** Uses an open alarms.db connection (so appends can share the outbox's transaction). */
  constructor(private readonly db: Database.Database) {
    db.exec(AUDIT_SCHEMA);
    const anchored = migrate(db);
    const alertBody = anchored ? db.prepare("SELECT body FROM alerts WHERE id = ?").pluck() : undefined;
    const anchor = anchored ? db.prepare("UPDATE alerts SET audit_id = ?, audit_hash = ? WHERE id = ?") : undefined;
    this.insert = db.prepare("INSERT INTO audit_log (id, at, type, patient_id, alert_id, actor, data, prev, hash, alert_body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
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
        // The alert row as this transaction wrote it (the journal records alerts before their audit).
        const alert = e.alertId === undefined ? undefined : (alertBody?.get(e.alertId) as string | undefined);
        const body = { id, at: e.at, type: e.type, patientId: e.patientId ?? null, alertId: e.alertId ?? null, actor: e.actor ?? null, data, prev, ...(alert === undefined ? {} : { alertSha: sha256(alert) }) };
        const row: ChainedRow = { ...body, hash: rowHash(body, sha256) };
        this.insert.run(id, row.at, row.type, row.patientId, row.alertId, row.actor ? canonicalJson(row.actor) : null, canonicalJson(data), prev, row.hash, alert ?? null);
        if (alert !== undefined) anchor?.run(id, row.hash, e.alertId);
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
    return this.appendCheckpointed([entry])[0]!;
  }

  /** Appends all in one transaction (or inside the caller's, if one is open). */
  appendAll(entries: readonly AuditEntry[]): ChainedRow[] {
    return entries.length === 0 ? [] : this.appendCheckpointed(entries);
  }

  /**
   * The head is also written to a file beside alarms.db (`alarms.db-audit-head`), only ever with
   * a committed head: inside a caller's transaction it is written at the next append, once that
   * transaction has committed. A log that ends before the checkpoint was cut off (verify names it).
   */
  private appendCheckpointed(entries: readonly AuditEntry[]): ChainedRow[] {
    if (this.checkpointPending && !this.db.inTransaction) writeCheckpoint(this.db);
    const rows = this.appendTxn(entries);
    this.checkpointPending = this.db.inTransaction;
    if (!this.checkpointPending) writeCheckpoint(this.db);
    return rows;
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

const checkpointFile = (db: Database.Database): string | undefined => (db.name === "" || db.name === ":memory:" ? undefined : `${db.name}-audit-head`);

/** Never throws: a full disk must not stop the alarm path over a second copy of the head. */
function writeCheckpoint(db: Database.Database): void {
  const file = checkpointFile(db);
  if (file === undefined) return;
  try {
    writeFileSync(`${file}.tmp`, JSON.stringify(readHead(db)), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch {
    // the chain and the alerts anchors still stand; the checkpoint catches up at the next append
  }
}

/**
 * The log against the checkpoint file: undefined if it agrees (or there is none yet: it only
 * narrows what a tamperer can do unnoticed), else what is wrong, naming the row.
 */
export function checkCheckpoint(db: Database.Database): string | undefined {
  const file = checkpointFile(db);
  let saved: { lastId: number; lastHash: string };
  try {
    saved = JSON.parse(readFileSync(file ?? "", "utf8")) as { lastId: number; lastHash: string };
  } catch {
    return undefined;
  }
  if (!Number.isInteger(saved.lastId) || saved.lastId === 0) return undefined;
  const row = db.prepare("SELECT hash FROM audit_log WHERE id = ?").pluck().get(saved.lastId) as string | undefined;
  if (row === undefined) return `the log ends before row ${saved.lastId}, which the checkpoint beside alarms.db records (rows deleted from its end and the head rewritten)`;
  if (row !== saved.lastHash) return `row ${saved.lastId} is not the row the checkpoint beside alarms.db records (the log was rewritten from there)`;
  return undefined;
}

/** The latest entry about each alert that carried a copy of its row, with that copy. */
export function latestAlertEntries(db: Database.Database): Map<string, ChainAlertEntry & { body: string }> {
  const rows = db
    .prepare(
      `SELECT a.alert_id AS alertId, a.id AS auditId, a.hash, a.alert_body AS body FROM audit_log a
       JOIN (SELECT MAX(id) AS id FROM audit_log WHERE alert_body IS NOT NULL GROUP BY alert_id) l ON a.id = l.id`,
    )
    .all() as { alertId: string; auditId: number; hash: string; body: string }[];
  return new Map(rows.map((r) => [r.alertId, { ...r, alertSha: sha256(r.body) }]));
}

/** The alerts table against the chain (read-only); [] when this file has no alerts table. */
export function checkAlertsDb(db: Database.Database): AlertProblem[] {
  const hasAlerts = db.prepare("SELECT 1 FROM pragma_table_info('alerts') WHERE name = 'audit_id'").get() !== undefined;
  const hasCopies = db.prepare("SELECT 1 FROM pragma_table_info('audit_log') WHERE name = 'alert_body'").get() !== undefined;
  if (!hasAlerts || !hasCopies) return [];
  const rows = (db.prepare("SELECT id, body, audit_id, audit_hash FROM alerts").all() as { id: string; body: string; audit_id: number | null; audit_hash: string | null }[]).map((r) => ({
    alertId: r.id,
    bodySha: sha256(r.body),
    auditId: r.audit_id,
    auditHash: r.audit_hash,
  }));
  return checkAlertsAgainstChain(rows, latestAlertEntries(db));
}

export function hasAuditLog(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name IN ('audit_log', 'audit_head')").all().length === 2;
}

function fromDb(r: DbRow): ChainedRow | { id: number; unreadable: true } {
  try {
    const base = { id: r.id, at: r.at, type: r.type, patientId: r.patient_id, alertId: r.alert_id, actor: r.actor === null ? null : (JSON.parse(r.actor) as ChainedRow["actor"]), data: JSON.parse(r.data) as unknown, prev: r.prev, hash: r.hash };
    // The copy's hash is recomputed, not read: an edited copy breaks its row's hash.
    return r.alert_body === null || r.alert_body === undefined ? base : { ...base, alertSha: sha256(r.alert_body) };
  } catch {
    return { id: r.id, unreadable: true };
  }
}
