/** Read-only looks into the gateway's SQLite files (WAL: safe beside the running daemon). */
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { FLOW_DEVICE } from "./config.js";

function withDb<T>(file: string, fallback: T, read: (db: Database.Database) => T): T {
  if (!existsSync(file)) return fallback;
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Stored rows of the flow device per device time. */
export function storedFlowTimes(dataDir: string): Map<number, number> {
  return withDb(join(dataDir, "readings.db"), new Map<number, number>(), (db) => {
    const rows = db.prepare("SELECT time, count(*) AS n FROM readings WHERE device_id = ? GROUP BY time").all(FLOW_DEVICE) as { time: number; n: number }[];
    return new Map(rows.map((r) => [r.time, r.n]));
  });
}

export function storedAlertStates(dataDir: string): Map<string, string> {
  return withDb(join(dataDir, "alarms.db"), new Map<string, string>(), (db) => {
    const rows = db.prepare("SELECT id, state FROM alerts").all() as { id: string; state: string }[];
    return new Map(rows.map((r) => [r.id, r.state]));
  });
}

/** Loss and duplicates of broker-acknowledged readings against what readings.db holds. */
export function readingLoss(acked: ReadonlySet<number>, stored: ReadonlyMap<number, number>): { acked: number; lost: number; duplicates: number } {
  let lost = 0;
  for (const t of acked) if (!stored.has(t)) lost++;
  let duplicates = 0;
  for (const n of stored.values()) duplicates += n - 1;
  return { acked: acked.size, lost, duplicates };
}
