/**
 * AlertOutbox on alarms.db (WAL + synchronous FULL): an alert is on disk before anyone is told,
 * and what no client has confirmed is re-sent after a restart (DESIGN §1 "persist, then push").
 * At start the open alerts are restored from here only where the rows agree with the audit chain
 * (`restorable`); where they do not, the chain's copy wins and a technical alarm says so.
 */
import type Database from "better-sqlite3";
import type { AlertingInput } from "../../core/alerting/alerting.js";
import type { Alert } from "../../core/model.js";
import type { AlertOutbox } from "../../ports/alertOutbox.js";
import { checkAlertsDb, checkCheckpoint, latestAlertEntries } from "./auditLog.js";
import { answers, openDatabase } from "./open.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS alerts (
  id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, cause TEXT NOT NULL, state TEXT NOT NULL,
  body TEXT NOT NULL, raised_at INTEGER NOT NULL, delivered_at INTEGER,
  audit_id INTEGER, audit_hash TEXT -- the audit entry that last wrote this row (auditLog.ts)
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

  /**
   * The open alerts to restore at start, checked against the audit chain. A row that was edited
   * (acknowledged → active, active → resolved) or deleted while the chain records it is taken
   * from the chain's copy instead: the last state the gateway itself wrote. The problems are
   * returned for a technical alarm and the log; nothing is restored silently from a bad row.
   */
  restorable(): { alerts: Alert[]; problems: string[] } {
    try {
      return this.checkedOpen();
    } catch {
      // A check that cannot run must not keep the gateway from starting (systemd would loop with
      // no console): the table as it is, and the technical alarm that says it is unchecked.
      return { alerts: this.open(), problems: ["the alerts table could not be checked against the audit log"] };
    }
  }

  private checkedOpen(): { alerts: Alert[]; problems: string[] } {
    const cut = checkCheckpoint(this.db);
    const alertProblems = checkAlertsDb(this.db);
    const problems = [...(cut === undefined ? [] : [cut]), ...alertProblems.map((p) => p.message)];
    if (alertProblems.length === 0) return { alerts: this.open(), problems };
    const fromChain = latestAlertEntries(this.db);
    const bad = new Set(alertProblems.map((p) => p.alertId));
    const good = this.bodies("SELECT body FROM alerts ORDER BY raised_at, rowid").filter((a) => !bad.has(a.id));
    const repaired = [...bad].flatMap((id) => {
      const copy = fromChain.get(id);
      return copy === undefined ? [] : [JSON.parse(copy.body) as Alert];
    });
    const alerts = [...good, ...repaired].filter((a) => a.state !== "resolved").sort((a, b) => a.raisedAt - b.raisedAt);
    return { alerts, problems };
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

/**
 * Alarm records that disagree with the audit chain are a technical alarm on the gateway: someone
 * or something changed what the gateway restores from. It stays for this run (the gateway cannot
 * know the records are sound again until a restart finds them so).
 */
export function alarmRecordsCondition(patientId: string, problems: readonly string[]): AlertingInput {
  const message = `Alarm records were altered outside the gateway (${problems.length} problem${problems.length === 1 ? "" : "s"}): alerts restored from the audit log; run 'vitals-gateway audit verify'`;
  return { type: "technical", patientId, condition: { name: "alarm_records_altered", present: problems.length > 0, message, priority: "medium" } };
}
