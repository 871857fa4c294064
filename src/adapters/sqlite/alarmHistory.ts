/**
 * The alarm side of a patient's history, read from alarms.db (the outbox's alerts and the audit
 * log): alarms with who acknowledged them and when, the nurse's entries, and NEWS2 as the alarm
 * recorded it. A read-only connection of its own, opened at the first question (alarms.db may open
 * late: a full disk starts the gateway degraded), so a history request can never write.
 */
import Database from "better-sqlite3";
import type { Alert } from "../../core/model.js";
import type { AckInfo } from "../ws/messages.js";

export interface ClinicalEntry {
  readonly at: number;
  readonly user: string;
  readonly role: string;
  readonly input: Readonly<Record<string, unknown>>;
}

export interface News2Point {
  readonly at: number;
  readonly total: number;
  readonly subscores: Readonly<Record<string, number>>;
}

interface AuditRow {
  alert_id: string | null;
  at: number;
  actor: string | null;
  data: string;
}

export class AlarmHistory {
  private connection: Database.Database | undefined;

  constructor(private readonly file: string) {}

  close(): void {
    this.connection?.close();
  }

  private get db(): Database.Database {
    this.connection ??= new Database(this.file, { readonly: true, fileMustExist: true });
    return this.connection;
  }

  /** The latest acknowledgement of each of these alerts (absent: not acknowledged). */
  acks(alertIds: readonly string[]): Record<string, AckInfo> {
    const out: Record<string, AckInfo> = {};
    if (alertIds.length === 0) return out;
    const rows = this.db
      .prepare(`SELECT alert_id, at, actor, data FROM audit_log WHERE type = 'alert_state' AND alert_id IN (SELECT value FROM json_each(?)) ORDER BY id`)
      .all(JSON.stringify(alertIds)) as AuditRow[];
    for (const r of rows) {
      const actor = r.actor ? (JSON.parse(r.actor) as { user: string; role: string }) : undefined;
      if (r.alert_id && actor && (JSON.parse(r.data) as { to?: string }).to === "acknowledged") out[r.alert_id] = { user: actor.user, role: actor.role, at: r.at };
    }
    return out;
  }

  /** Alerts raised since `since`, newest first, with their acknowledgements. */
  alerts(patientId: string, since: number, limit: number): { alert: Alert; ack?: AckInfo }[] {
    const rows = this.db.prepare("SELECT body FROM alerts WHERE patient_id = ? AND raised_at >= ? ORDER BY raised_at DESC, rowid DESC LIMIT ?").all(patientId, since, limit) as { body: string }[];
    const alerts = rows.map((r) => JSON.parse(r.body) as Alert);
    const acks = this.acks(alerts.map((a) => a.id));
    return alerts.map((alert) => {
      const ack = acks[alert.id];
      return ack ? { alert, ack } : { alert };
    });
  }

  /** ACVPU, oxygen and SpO2-scale entries since `since`, newest first. */
  entries(patientId: string, since: number, limit: number): ClinicalEntry[] {
    const rows = this.db.prepare("SELECT alert_id, at, actor, data FROM audit_log WHERE type = 'clinical_input' AND patient_id = ? AND at >= ? ORDER BY id DESC LIMIT ?").all(patientId, since, limit) as AuditRow[];
    return rows.map((r) => {
      const actor = r.actor ? (JSON.parse(r.actor) as { user: string; role: string }) : { user: "unknown", role: "unknown" };
      return { at: r.at, user: actor.user, role: actor.role, input: JSON.parse(r.data) as Record<string, unknown> };
    });
  }

  /** NEWS2 each time the NEWS2 alarm recorded it (raised, changed, resolved), oldest first. */
  news2(patientId: string, since: number, limit: number): News2Point[] {
    const rows = this.db
      .prepare(
        `SELECT at, json_extract(data, '$.news2') AS news2 FROM audit_log
         WHERE patient_id = ? AND at >= ? AND json_extract(data, '$.cause') = 'news2' AND json_type(data, '$.news2') = 'object'
         ORDER BY id DESC LIMIT ?`,
      )
      .all(patientId, since, limit) as { at: number; news2: string }[];
    return rows.reverse().map((r) => {
      const n = JSON.parse(r.news2) as { total: number; subscores: Record<string, number> };
      return { at: r.at, total: n.total, subscores: n.subscores };
    });
  }
}
