/**
 * Opens a SQLite file with the durability its contents need (reliability-security-ecosystem.md):
 * readings tolerate losing the last batch on power loss (WAL + NORMAL); alarms and tokens do not
 * (WAL + FULL: fsync at every commit).
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

export type Durability = "normal" | "full";

export function openDatabase(file: string, durability: Durability, schema: string): Database.Database {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${durability === "full" ? "FULL" : "NORMAL"}`);
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  db.exec(schema);
  return db;
}

/** The connection is open and answers a trivial query (for /readyz). */
export function answers(db: Database.Database): boolean {
  try {
    return db.open && db.prepare("SELECT 1 AS ok").get() !== undefined;
  } catch {
    return false;
  }
}
