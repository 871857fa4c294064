/**
 * `vitals-gateway audit verify [--data-dir DIR] [--config FILE]`: recomputes the hash chain of the audit log in
 * DIR/alarms.db and checks the alerts table against it, read-only. Exit 0 intact, 1 broken (names
 * the audit row or alert) or unreadable, 2 usage.
 * Prints row ids and counts only, never patient data.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { checkAlertsDb, checkCheckpoint, hasAuditLog, verifyAuditDb } from "../adapters/sqlite/auditLog.js";
import { parseFlags, UsageError, withUsage } from "./args.js";
import { dataDirFrom } from "./dataDir.js";

const USAGE = "usage: vitals-gateway audit verify [--data-dir DIR] [--config FILE]   (default ./vitals-data)";

export function run(args: string[]): Promise<number> {
  return withUsage(USAGE, () => {
    const { values, positionals } = parseFlags(args, { "data-dir": { type: "string" }, config: { type: "string" } }, true);
    if (positionals.length !== 1 || positionals[0] !== "verify") throw new UsageError("audit: expected the subcommand 'verify'");
    const file = join(dataDirFrom(values["data-dir"], values.config), "alarms.db");
    if (!existsSync(file)) {
      process.stderr.write(`audit verify: ${file} does not exist\n`);
      return Promise.resolve(1);
    }
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      if (!hasAuditLog(db)) {
        process.stderr.write(`audit verify: ${file} has no audit log (audit_log / audit_head tables)\n`);
        return Promise.resolve(1);
      }
      const r = verifyAuditDb(db);
      if (!r.ok) {
        process.stdout.write(`audit log BROKEN at row ${r.rowId}: ${r.message}\n`);
        return Promise.resolve(1);
      }
      // The chain alone cannot see its own tail cut off with the head rewritten, nor the alerts
      // table the gateway restores from: checked against the checkpoint file and the alerts rows' anchors.
      const problems = [checkCheckpoint(db), ...checkAlertsDb(db).map((p) => p.message)].filter((p) => p !== undefined);
      if (problems.length > 0) {
        for (const p of problems) process.stdout.write(`audit log BROKEN: ${p}\n`);
        return Promise.resolve(1);
      }
      process.stdout.write(`audit log intact: ${r.rows} rows, head ${r.head}; alerts table matches it\n`);
      return Promise.resolve(0);
    } finally {
      db.close();
    }
  });
}
