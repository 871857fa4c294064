/**
 * Opens a SQLite file with the durability its contents need (reliability-security-ecosystem.md):
 * readings tolerate losing the last batch on power loss (WAL + NORMAL); alarms and tokens do not
 * (WAL + FULL: fsync at every commit).
 *
 * Before a file is used it is checked (`PRAGMA quick_check`) and brought to this build's schema
 * version (migrations.ts). A corrupt or newer-than-known file is a StorageError naming its path:
 * the daemon refuses to run on it and never recreates it. Files are 0600 whatever the umask
 * (SQLite gives the -wal and -shm files the mode of the database file).
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { laterMigrationsOf, migrate, refuseNewer } from "./migrations.js";
import { StorageError } from "./storageError.js";

export type Durability = "normal" | "full";

const PRIVATE = 0o600;

export function openDatabase(file: string, durability: Durability, schema: string, later = laterMigrationsOf(file)): Database.Database {
  if (file !== ":memory:") createPrivately(file);
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma("busy_timeout = 5000");
    checkIntegrity(db, file);
    refuseNewer(db, file, later);
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${durability === "full" ? "FULL" : "NORMAL"}`);
    db.pragma("foreign_keys = ON");
    migrate(db, file, schema, later);
    if (file !== ":memory:") restrictSidecars(file);
    return db;
  } catch (e) {
    db?.close();
    throw asStorageError(e, file);
  }
}

/** The connection is open and answers a trivial query (for /readyz). */
export function answers(db: Database.Database): boolean {
  try {
    return db.open && db.prepare("SELECT 1 AS ok").get() !== undefined;
  } catch {
    return false;
  }
}

/** Creates the file 0600 before SQLite does (SQLite would use 0644 & ~umask); tightens an old 0644 one. */
function createPrivately(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(file, "a", PRIVATE));
    chmodSync(file, PRIVATE);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EROFS") throw new StorageError(`${file}: cannot open for writing (${code}); make ${dirname(file)} writable by the user running vitals-gateway (uid ${process.getuid?.() ?? "?"}) or choose another --data-dir`);
    // EPERM: someone else owns the file (e.g. root ran a command by hand); SQLite decides below.
    if (code !== "EPERM") throw e;
  }
}

function restrictSidecars(file: string): void {
  for (const sidecar of [`${file}-wal`, `${file}-shm`]) {
    try {
      if (existsSync(sidecar)) chmodSync(sidecar, PRIVATE);
    } catch {
      // Not ours to change (EPERM); SQLite created it from the database file's mode anyway.
    }
  }
}

function checkIntegrity(db: Database.Database, file: string): void {
  const rows = db.pragma("quick_check(5)") as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== "ok");
  if (problems.length > 0) throw new StorageError(corrupt(file, problems.join("; ")));
}

function asStorageError(e: unknown, file: string): Error {
  if (e instanceof StorageError) return e;
  const code = (e as { code?: string }).code ?? "";
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) return new StorageError(corrupt(file, (e as Error).message));
  if (code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_READONLY")) {
    return new StorageError(`${file}: cannot open for writing (${code}); make it and ${dirname(file)} writable by the user running vitals-gateway, or choose another --data-dir`);
  }
  return e as Error;
}

// One line (journald, the console of whoever runs it): quick_check reports one problem per line.
const corrupt = (file: string, detail: string) =>
  `${file}: database is corrupt (${detail.replace(/\s*\n\s*/g, "; ")}); it was not modified — restore it from a backup or move it aside (the daemon then starts with an empty one)`;
