/**
 * The two tamperings of issue 9 item 7, done as someone with write access to alarms.db would:
 * (a) delete the last audit rows and point audit_head at the new last row; (b) turn an
 * acknowledged alert back to active in the alerts table the gateway restores from.
 */
import Database from "better-sqlite3";
import { copyFileSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A copy of the data dir's alarms.db (and its WAL) to tamper with, leaving the original intact. */
export function copyAlarms(dataDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), "vg-faults-tamper-"));
  for (const suffix of ["", "-wal", "-shm"]) {
    const from = join(dataDir, `alarms.db${suffix}`);
    if (existsSync(from)) copyFileSync(from, join(dir, `alarms.db${suffix}`));
  }
  return dir;
}

function edit(dir: string, sql: string): number {
  const db = new Database(join(dir, "alarms.db"));
  try {
    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]) db.exec(`DROP TRIGGER "${t.name}"`);
    return db.prepare(sql).run().changes;
  } finally {
    db.close();
  }
}

/** (a): returns the number of audit rows removed. */
export function truncateAudit(dir: string, rows: number): number {
  const removed = edit(dir, `DELETE FROM audit_log WHERE id > (SELECT max(id) - ${rows} FROM audit_log)`);
  edit(dir, "UPDATE audit_head SET last_id = (SELECT max(id) FROM audit_log), last_hash = (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1)");
  return removed;
}

/** (b): returns the number of alerts changed. */
export function reactivateAcknowledged(dir: string): number {
  return edit(dir, "UPDATE alerts SET state = 'active', body = json_set(body, '$.state', 'active') WHERE state = 'acknowledged'");
}
