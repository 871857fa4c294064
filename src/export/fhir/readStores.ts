/**
 * What an export reads: readings and alerts in a time window, optionally for one patient, from
 * readings.db and alarms.db opened read-only (an export runs beside the daemon and never writes
 * or migrates; a file newer than this build is refused like at start).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Alert, QualityFlag, Reading, Vital } from "../../core/model.js";
import { refuseNewer, laterMigrationsOf } from "../../adapters/sqlite/migrations.js";

export interface ExportQuery {
  readonly patientId?: string;
  /** Inclusive, wall-clock ms. */
  readonly since: number;
  /** Exclusive, wall-clock ms. */
  readonly until: number;
}

interface ReadingRow {
  patient_id: string; device_id: string; vital: string; value: number; unit: string;
  precision: number | null; time: number; received_at: number; quality: string;
}

export function readExportData(dataDir: string, q: ExportQuery): { readings: Reading[]; alerts: Alert[] } {
  const patient = q.patientId === undefined ? "" : "AND patient_id = @patientId";
  const params = { since: q.since, until: q.until, ...(q.patientId === undefined ? {} : { patientId: q.patientId }) };
  const readings = withDb(join(dataDir, "readings.db"), (db) =>
    (db.prepare(`SELECT * FROM readings WHERE time >= @since AND time < @until ${patient} ORDER BY time, id`).all(params) as ReadingRow[]).map(toReading),
  );
  const alerts = withDb(join(dataDir, "alarms.db"), (db) =>
    (db.prepare(`SELECT body FROM alerts WHERE raised_at >= @since AND raised_at < @until ${patient} ORDER BY raised_at, id`).all(params) as { body: string }[]).map((r) => JSON.parse(r.body) as Alert),
  );
  return { readings, alerts };
}

function withDb<T>(file: string, read: (db: Database.Database) => T[]): T[] {
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    refuseNewer(db, file, laterMigrationsOf(file));
    return read(db);
  } finally {
    db.close();
  }
}

function toReading(r: ReadingRow): Reading {
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
