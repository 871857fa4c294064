/**
 * Reads readings.db for the console's history API on a read-only connection of its own, so a
 * chart request can never write, and WAL lets it read while the pipeline commits batches.
 * Two shapes: raw readings (paginated by an opaque cursor) and time buckets (min/avg/max per
 * step) for charts and sparklines, which leave artifacts out: a probe-off 0 is not a value.
 */
import Database from "better-sqlite3";
import type { QualityFlag, Reading, Vital } from "../../core/model.js";
import { ZERO_MEANS_NO_SIGNAL } from "../../core/rules/noSignal.js";

export interface RawQuery {
  readonly patientId: string;
  readonly vital?: Vital;
  /** Wall ms, inclusive. */
  readonly since: number;
  /** Wall ms, exclusive. */
  readonly until: number;
  readonly limit: number;
  /** From the previous page's `next`. */
  readonly after?: { readonly time: number; readonly id: number };
}

export interface Bucket {
  readonly vital: Vital;
  /** Start of the bucket, wall ms. */
  readonly t: number;
  readonly min: number;
  readonly avg: number;
  readonly max: number;
  readonly n: number;
  readonly unit: string;
}

interface Row {
  id: number; patient_id: string; device_id: string; vital: string; value: number; unit: string;
  precision: number | null; time: number; received_at: number; quality: string;
}

export class ReadingHistory {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.db.pragma("busy_timeout = 2000");
  }

  /** Up to `limit` readings in time order, and the cursor of the next page when there is more. */
  raw(q: RawQuery): { readings: Reading[]; next?: { time: number; id: number } } {
    const vital = q.vital ? "AND vital = @vital" : "";
    const after = q.after ? "AND (time > @afterTime OR (time = @afterTime AND id > @afterId))" : "";
    const rows = this.db
      .prepare(`SELECT * FROM readings WHERE patient_id = @patientId ${vital} AND time >= @since AND time < @until ${after} ORDER BY time, id LIMIT @limit`)
      .all({ patientId: q.patientId, vital: q.vital ?? null, since: q.since, until: q.until, afterTime: q.after?.time ?? 0, afterId: q.after?.id ?? 0, limit: q.limit + 1 }) as Row[];
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return { readings: page.map(toReading), ...(rows.length > q.limit && last ? { next: { time: last.time, id: last.id } } : {}) };
  }

  /** One bucket per `step` ms, vital and unit (never an average of kg and lb) that has valid values; artifacts and out-of-range values left out. */
  buckets(patientId: string, vital: Vital | undefined, since: number, until: number, step: number): Bucket[] {
    const only = vital ? "AND vital = @vital" : "";
    return this.db
      .prepare(
        `SELECT vital, CAST((time - @since) / @step AS INTEGER) * @step + @since AS t, MIN(value) AS min, AVG(value) AS avg, MAX(value) AS max, COUNT(*) AS n, unit
         FROM readings WHERE patient_id = @patientId ${only} AND time >= @since AND time < @until
           AND quality NOT LIKE '%artifact%' AND quality NOT LIKE '%out_of_range%'
           AND NOT (value = 0 AND vital IN (SELECT value FROM json_each(@noSignal)))
         GROUP BY vital, unit, t ORDER BY vital, t`,
      )
      .all({ patientId, vital: vital ?? null, since, until, step, noSignal: JSON.stringify(ZERO_MEANS_NO_SIGNAL) }) as Bucket[];
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
