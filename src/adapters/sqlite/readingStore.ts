/** ReadingStore on readings.db: one transaction per batch, WAL + synchronous NORMAL. */
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

interface Row {
  patient_id: string; device_id: string; vital: string; value: number; unit: string;
  precision: number | null; time: number; received_at: number; quality: string;
}

export class SqliteReadingStore implements ReadingStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertMany: (readings: readonly Reading[]) => void;

  constructor(file: string) {
    this.db = openDatabase(file, "normal", SCHEMA);
    this.insert = this.db.prepare(
      "INSERT INTO readings (patient_id, device_id, vital, value, unit, precision, time, received_at, quality) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    this.insertMany = this.db.transaction((readings: readonly Reading[]) => {
      for (const r of readings) {
        this.insert.run(r.patientId, r.deviceId, r.vital, r.value, r.unit, r.precision ?? null, r.time, r.receivedAt, r.quality.join(","));
      }
    });
  }

  appendBatch(readings: readonly Reading[]): void {
    if (readings.length > 0) this.insertMany(readings);
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
