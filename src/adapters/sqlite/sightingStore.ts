/**
 * Sensors heard but not assigned to a patient (`devices seen`), in devices.db: one row per device,
 * upserted, at most `cap` rows (the least recently heard go first), never a reading. Writes are
 * throttled per device (an advert arrives every second; the installer needs minutes, not seconds),
 * and a failed write is reported, never thrown into the ingest path.
 */
import Database from "better-sqlite3";
import type { Sighting, SightingSink } from "../../core/pipeline/recordSightings.js";
import { closingOnError, openDatabase } from "./open.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sightings (
  device_id TEXT PRIMARY KEY, driver TEXT NOT NULL, kinds TEXT NOT NULL, rssi INTEGER, via TEXT NOT NULL,
  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, heard INTEGER NOT NULL
);
`;

export interface SightingRow {
  readonly deviceId: string;
  readonly driver: string;
  readonly kinds: string;
  readonly rssi: number | null;
  readonly via: string;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly heard: number;
}

const LIST = "SELECT device_id AS deviceId, driver, kinds, rssi, via, first_seen AS firstSeen, last_seen AS lastSeen, heard FROM sightings ORDER BY last_seen DESC";

/** Read-only, for the CLI while the daemon may be writing (WAL). */
export function readSightings(file: string): SightingRow[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(LIST).all() as SightingRow[];
  } finally {
    db.close();
  }
}

export class SightingStore implements SightingSink {
  private readonly db: Database.Database;
  private readonly written = new Map<string, { at: number; what: string; pending: number }>();

  constructor(
    file: string,
    private readonly onError: (e: Error) => void = () => {},
    private readonly options = { cap: 200, throttleMs: 10_000 },
  ) {
    this.db = openDatabase(file, "normal", SCHEMA);
    closingOnError(this.db, () => this.list()).forEach((r) => this.written.set(r.deviceId, { at: 0, what: "", pending: 0 }));
  }

  record(s: Sighting): void {
    const what = `${s.driverId}|${s.kinds}|${s.via}`;
    const last = this.written.get(s.deviceId);
    if (last && last.what === what && s.at - last.at < this.options.throttleMs) {
      last.pending++;
      return;
    }
    try {
      this.db
        .prepare(
          `INSERT INTO sightings VALUES (@id, @driver, @kinds, @rssi, @via, @at, @at, @n)
           ON CONFLICT (device_id) DO UPDATE SET driver = @driver, kinds = @kinds, rssi = @rssi, via = @via, last_seen = @at, heard = heard + @n`,
        )
        .run({ id: s.deviceId, driver: s.driverId, kinds: s.kinds, rssi: s.rssi ?? null, via: s.via, at: s.at, n: 1 + (last?.pending ?? 0) });
      this.written.set(s.deviceId, { at: s.at, what, pending: 0 });
      if (!last && this.written.size > this.options.cap) this.trim();
    } catch (e) {
      this.onError(e as Error);
    }
  }

  forget(deviceId: string): void {
    if (!this.written.delete(deviceId)) return;
    try {
      this.db.prepare("DELETE FROM sightings WHERE device_id = ?").run(deviceId);
    } catch (e) {
      this.onError(e as Error);
    }
  }

  list(): SightingRow[] {
    return this.db.prepare(LIST).all() as SightingRow[];
  }

  close(): void {
    this.db.close();
  }

  private trim(): void {
    const gone = this.db
      .prepare("DELETE FROM sightings WHERE device_id NOT IN (SELECT device_id FROM sightings ORDER BY last_seen DESC LIMIT ?) RETURNING device_id AS id")
      .all(this.options.cap) as { id: string }[];
    for (const g of gone) this.written.delete(g.id);
  }
}
