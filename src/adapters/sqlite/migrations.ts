/**
 * Forward-only schema migrations, one list per database file, tracked by `PRAGMA user_version`.
 *
 * Version 1 is the baseline: the idempotent `CREATE … IF NOT EXISTS` schema each store passes to
 * openDatabase (what every build before versioning wrote, user_version 0). It is re-applied on
 * every open, because several stores share alarms.db (outbox, audit log, journal) and each brings
 * its own tables. Anything that is not idempotent DDL (a new column, a data rewrite) goes here as
 * version 2, 3, …: appended, never edited or removed once released, run once in the transaction
 * that sets user_version. A file with a higher user_version than this build knows is refused,
 * never "repaired" downwards.
 */
import { basename } from "node:path";
import type Database from "better-sqlite3";
import { StorageError } from "./storageError.js";

/** Migrations after the baseline, by file name; index 0 is version 2. */
export const LATER_MIGRATIONS: Readonly<Record<string, readonly string[]>> = {
  "alarms.db": [],
  "readings.db": [],
  "auth.db": [],
  "upstream.db": [],
};

export function laterMigrationsOf(file: string): readonly string[] {
  return LATER_MIGRATIONS[basename(file)] ?? [];
}

/** Refuses a file written by a newer build, before anything (even journal_mode) touches it. */
export function refuseNewer(db: Database.Database, file: string, later: readonly string[]): void {
  const latest = 1 + later.length;
  const found = db.pragma("user_version", { simple: true }) as number;
  if (found > latest) {
    throw new StorageError(`${file}: schema version ${found} is newer than this vitals-gateway knows (${latest}); it was not modified — run the newer release again or restore a backup`);
  }
}

/** Brings `db` to 1 + later.length in one transaction; returns the version it found. */
export function migrate(db: Database.Database, file: string, baseline: string, later: readonly string[]): number {
  refuseNewer(db, file, later);
  const latest = 1 + later.length;
  const found = db.pragma("user_version", { simple: true }) as number;
  db.transaction(() => {
    db.exec(baseline);
    for (let v = Math.max(found, 1); v < latest; v++) db.exec(later[v - 1]!);
    if (found !== latest) db.pragma(`user_version = ${latest}`);
  }).immediate();
  return found;
}
