/** A row of readings.db's `readings` table as SQLite returns it, and the Reading it stands for (one mapping for every reader). */
import type { QualityFlag, Reading, Vital } from "../../core/model.js";

export interface ReadingRow {
  patient_id: string; device_id: string; vital: string; value: number; unit: string;
  precision: number | null; time: number; received_at: number; quality: string;
}

export function toReading(r: ReadingRow): Reading {
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
