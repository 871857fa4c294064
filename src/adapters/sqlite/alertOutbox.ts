/**
 * AlertOutbox on alarms.db (WAL + synchronous FULL): an alert is on disk before anyone is told,
 * and what no client has confirmed is re-sent after a restart (DESIGN §1 "persist, then push").
 */
import type Database from "better-sqlite3";
import type { Alert } from "../../core/model.js";
import type { AlertOutbox } from "../../ports/alertOutbox.js";
import { answers, openDatabase } from "./open.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS alerts (
  id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, cause TEXT NOT NULL, state TEXT NOT NULL,
  body TEXT NOT NULL, raised_at INTEGER NOT NULL, delivered_at INTEGER
);
CREATE INDEX IF NOT EXISTS alerts_open ON alerts (state, raised_at);
`;

export class SqliteAlertOutbox implements AlertOutbox {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openDatabase(file, "full", SCHEMA);
  }

  /** The alarms.db connection, so the audit log can write in the same transaction. */
  get database(): Database.Database {
    return this.db;
  }

  record(alert: Alert): void {
    this.db
      .prepare(
        `INSERT INTO alerts (id, patient_id, cause, state, body, raised_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, body = excluded.body`,
      )
      .run(alert.id, alert.patientId, alert.cause, alert.state, JSON.stringify(alert), alert.raisedAt);
  }

  get(id: string): Alert | undefined {
    const row = this.db.prepare("SELECT body FROM alerts WHERE id = ?").get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as Alert) : undefined;
  }

  open(): Alert[] {
    return this.bodies("SELECT body FROM alerts WHERE state <> 'resolved' ORDER BY raised_at, rowid");
  }

  pending(): Alert[] {
    return this.bodies("SELECT body FROM alerts WHERE delivered_at IS NULL ORDER BY raised_at, rowid");
  }

  markDelivered(id: string, at: number): void {
    this.db.prepare("UPDATE alerts SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL").run(at, id);
  }

  healthy(): boolean {
    return answers(this.db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private bodies(sql: string): Alert[] {
    return (this.db.prepare(sql).all() as { body: string }[]).map((r) => JSON.parse(r.body) as Alert);
  }
}
