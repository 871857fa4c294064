/**
 * ReadingStore on readings.db: one transaction per batch, WAL + synchronous NORMAL, a prepared
 * multi-row INSERT per 50 readings. A device-timed reading is unique on (device, vital, time):
 * an MQTT redelivery or a bridge's replay is ignored, not stored twice. Receipt-timed readings
 * have no such natural key (two equal values a second apart are two readings); their
 * redeliveries are caught before the pipeline (adapters/mqtt/deferredAcks.ts).
 */
import type Database from "better-sqlite3";
import type { QualityFlag, Reading, Vital } from "../../core/model.js";
import type { ReadingQuery, ReadingStore } from "../../ports/readingStore.js";
import { answers, openDatabase } from "./open.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS readings (
  id INTEGER PRIMARY KEY,
  patient_id TEXT NOT NULL, device_id TEXT NOT NULL, vital TEXT NOT NULL,
  value REAL NOT NULL, unit TEXT NOT NULL, precision INTEGER,
  time INTEGER NOT NULL, received_at INTEGER NOT NULL, quality TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS readings_by_patient ON readings (patient_id, vital, time);
`;
const DEVICE_TIMED = "quality LIKE '%device_time%'";
/** Files from before the natural key may hold duplicates: the first copy of each is kept. */
const NATURAL_KEY = `
DELETE FROM readings WHERE ${DEVICE_TIMED} AND id NOT IN (SELECT MIN(id) FROM readings WHERE ${DEVICE_TIMED} GROUP BY device_id, vital, time);
CREATE UNIQUE INDEX readings_natural_key ON readings (device_id, vital, time) WHERE ${DEVICE_TIMED};
`;
const COLUMNS = "(patient_id, device_id, vital, value, unit, precision, time, received_at, quality)";
const ROWS_PER_INSERT = 50; // 450 parameters, far below SQLite's limit of 32766

interface Row {
  patient_id: string; device_id: string; vital: string; value: number; unit: string;
  precision: number | null; time: number; received_at: number; quality: string;
}

export class SqliteReadingStore implements ReadingStore {
  private readonly db: Database.Database;
  private readonly insertOne: Database.Statement;
  private readonly insertChunk: Database.Statement;
  private readonly insertMany: (readings: readonly Reading[]) => number;

  constructor(file: string) {
    this.db = openDatabase(file, "normal", SCHEMA);
    if (this.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'readings_natural_key'").get() === undefined) this.db.transaction(() => this.db.exec(NATURAL_KEY))();
    const values = (n: number) => Array.from({ length: n }, () => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ");
    this.insertOne = this.db.prepare(`INSERT OR IGNORE INTO readings ${COLUMNS} VALUES ${values(1)}`);
    this.insertChunk = this.db.prepare(`INSERT OR IGNORE INTO readings ${COLUMNS} VALUES ${values(ROWS_PER_INSERT)}`);
    this.insertMany = this.db.transaction((readings: readonly Reading[]) => {
      let added = 0;
      let i = 0;
      for (; i + ROWS_PER_INSERT <= readings.length; i += ROWS_PER_INSERT) added += this.insertChunk.run(readings.slice(i, i + ROWS_PER_INSERT).flatMap(params)).changes;
      for (; i < readings.length; i++) added += this.insertOne.run(params(readings[i]!)).changes;
      return added;
    });
  }

  appendBatch(readings: readonly Reading[]): number {
    return readings.length > 0 ? this.insertMany(readings) : 0;
  }

  readSince(q: ReadingQuery): Reading[] {
    const rows = this.db
      .prepare(`SELECT * FROM readings WHERE patient_id = ? ${q.vital ? "AND vital = ?" : ""} AND time >= ? ORDER BY time, id LIMIT ?`)
      .all(...[q.patientId, ...(q.vital ? [q.vital] : []), q.since, q.limit ?? -1]) as Row[];
    return rows.map(toReading);
  }

  latest(patientId: string): Reading[] {
    const rows = this.db
      .prepare(
        `SELECT r.* FROM readings r JOIN (SELECT vital, MAX(id) AS id FROM readings WHERE patient_id = ? GROUP BY vital) m ON r.id = m.id ORDER BY r.vital`,
      )
      .all(patientId) as Row[];
    return rows.map(toReading);
  }

  count(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM readings").get() as { n: number }).n;
  }

  pruneBefore(time: number): number {
    return this.db.prepare("DELETE FROM readings WHERE time < ?").run(time).changes;
  }

  healthy(): boolean {
    return answers(this.db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function params(r: Reading): (string | number | null)[] {
  return [r.patientId, r.deviceId, r.vital, r.value, r.unit, r.precision ?? null, r.time, r.receivedAt, r.quality.join(",")];
}

function toReading(r: Row): Reading {
  const base = {
    patientId: r.patient_id,
    deviceId: r.device_id,
    vital: r.vital as Vital,
    value: r.value,
    unit: r.unit,
    time: r.time,
    receivedAt: r.received_at,
    quality: (r.quality ? r.quality.split(",") : []) as QualityFlag[],
  };
  return r.precision === null ? base : { ...base, precision: r.precision };
}
