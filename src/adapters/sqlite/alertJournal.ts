/**
 * Writes what the alerting engine decided: each alert's new state to the outbox and each event's
 * audit entry to the hash chain, in one FULL-synced transaction, before anyone is told
 * (DESIGN §1 "persist, then push"; §5 audit). Returns the events that must reach the nurses.
 */
import { DEFAULT_ALERTING_CONFIG, type AlertingConfig } from "../../core/alerting/config.js";
import { diffAlertingConfig } from "../../core/alerting/configDiff.js";
import type { AlertEvent, PushEvent } from "../../core/alerting/events.js";
import type { SqliteAlertOutbox } from "./alertOutbox.js";
import { SqliteAuditLog } from "./auditLog.js";


export class AlertJournal {
  private readonly audit: SqliteAuditLog;
  private readonly write: (events: readonly AlertEvent[]) => void;

  constructor(private readonly outbox: SqliteAlertOutbox) {
    this.audit = new SqliteAuditLog(outbox.database);
    this.write = outbox.database.transaction((events: readonly AlertEvent[]) => {
      for (const e of events) if ("alert" in e) this.outbox.record(e.alert);
      this.audit.appendAll(events.map((e) => e.audit));
    });
  }

  /**
   * Audits the alerting config now in force against the one in force at the last start (or the
   * defaults, the first time), one entry per changed value, and remembers it.
   */
  auditConfig(current: AlertingConfig, at: number): number {
    const db = this.outbox.database;
    db.exec("CREATE TABLE IF NOT EXISTS config_in_force (one INTEGER PRIMARY KEY CHECK (one = 1), alerting TEXT NOT NULL)");
    const row = db.prepare("SELECT alerting FROM config_in_force WHERE one = 1").get() as { alerting: string } | undefined;
    const before = row ? (JSON.parse(row.alerting) as AlertingConfig) : DEFAULT_ALERTING_CONFIG;
    const entries = diffAlertingConfig(before, current, at, { user: "config-file", role: "admin", client: "startup" });
    db.transaction(() => {
      this.audit.appendAll(entries);
      db.prepare("INSERT INTO config_in_force (one, alerting) VALUES (1, ?) ON CONFLICT (one) DO UPDATE SET alerting = excluded.alerting").run(JSON.stringify(current));
    })();
    return entries.length;
  }

  record(events: readonly AlertEvent[]): PushEvent[] {
    if (events.length === 0) return [];
    this.write(events);
    return events.filter((e): e is PushEvent => "alert" in e);
  }
}
