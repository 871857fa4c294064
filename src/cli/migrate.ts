/**
 * `vitals-gateway migrate [--data-dir DIR] [--config FILE]`: checks every database in the data
 * directory and brings it to this build's schema (the daemon does the same at start). Holds the
 * data-dir lock, so it refuses while a daemon runs there. Exit 0 done, 1 a database refused.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { SqliteAlertOutbox } from "../adapters/sqlite/alertOutbox.js";
import { SqliteAuditLog } from "../adapters/sqlite/auditLog.js";
import { lockDataDir } from "../adapters/sqlite/dataDirLock.js";
import { SqliteReadingStore } from "../adapters/sqlite/readingStore.js";
import { StorageError } from "../adapters/sqlite/storageError.js";
import { TokenStore } from "../adapters/sqlite/tokenStore.js";
import { SqliteUpstreamOutbox } from "../adapters/upstream/outbox.js";
import { parseFlags, withUsage } from "./args.js";
import { dataDirFrom } from "./dataDir.js";

export const USAGE = "usage: vitals-gateway migrate [--data-dir DIR] [--config FILE]   (default ./vitals-data)";

/** Each database with the store that owns its schema; opening it migrates it. */
const OPENERS: Record<string, (file: string) => { close(): void }> = {
  "alarms.db": (file) => {
    const outbox = new SqliteAlertOutbox(file);
    new SqliteAuditLog(outbox.database); // the audit tables live in alarms.db too
    return outbox;
  },
  "readings.db": (file) => new SqliteReadingStore(file),
  "auth.db": (file) => new TokenStore(file, Date.now),
  "upstream.db": (file) => new SqliteUpstreamOutbox(file, { maxRows: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER }, Date.now),
};

export function run(args: string[]): Promise<number> {
  return withUsage(USAGE, () => {
    const { values } = parseFlags(args, { "data-dir": { type: "string" }, config: { type: "string" } });
    const dir = dataDirFrom(values["data-dir"], values.config);
    try {
      const lock = lockDataDir(dir);
      try {
        for (const [name, open] of Object.entries(OPENERS)) migrateOne(join(dir, name), open);
      } finally {
        lock.release();
      }
      return Promise.resolve(0);
    } catch (e) {
      if (!(e instanceof StorageError)) throw e;
      process.stderr.write(`vitals-gateway migrate: ${e.message}\n`);
      return Promise.resolve(1);
    }
  });
}

function migrateOne(file: string, open: (file: string) => { close(): void }): void {
  if (!existsSync(file)) {
    process.stdout.write(`${file}: absent (created at the first start)\n`);
    return;
  }
  const before = versionOf(file); // undefined if unreadable: open() then says why, naming the file
  open(file).close();
  const after = versionOf(file);
  process.stdout.write(`${file}: ${before === after ? `at version ${after}` : `version ${before} -> ${after}`}, quick_check ok\n`);
}

function versionOf(file: string): number | undefined {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    return db.pragma("user_version", { simple: true }) as number;
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}
