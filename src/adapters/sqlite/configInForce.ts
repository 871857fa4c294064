/**
 * Audits the alerting config now in force against the one in force at the last start (or the
 * defaults, the first time), one entry per changed value, and remembers it (alarms.db).
 */
import type Database from "better-sqlite3";
import { DEFAULT_ALERTING_CONFIG, type AlertingConfig } from "../../core/alerting/config.js";
import { diffAlertingConfig } from "../../core/alerting/configDiff.js";
import type { AuditTrail } from "../../core/alerting/journal.js";

export function auditConfigInForce(db: Database.Database, audit: AuditTrail, current: AlertingConfig, at: number): number {
  db.exec("CREATE TABLE IF NOT EXISTS config_in_force (one INTEGER PRIMARY KEY CHECK (one = 1), alerting TEXT NOT NULL)");
  const row = db.prepare("SELECT alerting FROM config_in_force WHERE one = 1").get() as { alerting: string } | undefined;
  const before = row ? (JSON.parse(row.alerting) as AlertingConfig) : DEFAULT_ALERTING_CONFIG;
  const entries = diffAlertingConfig(before, current, at, { user: "config-file", role: "admin", client: "startup" });
  db.transaction(() => {
    audit.appendAll(entries);
    db.prepare("INSERT INTO config_in_force (one, alerting) VALUES (1, ?) ON CONFLICT (one) DO UPDATE SET alerting = excluded.alerting").run(JSON.stringify(current));
  })();
  return entries.length;
}
