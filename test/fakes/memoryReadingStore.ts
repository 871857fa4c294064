/** In-memory ReadingStore for unit tests; passes the same contract suite as the SQLite one. */
import type { Reading } from "../../src/core/model.js";
import type { ReadingQuery, ReadingStore } from "../../src/ports/readingStore.js";

export class MemoryReadingStore implements ReadingStore {
  private readonly rows: Reading[] = [];
  /** rowids, parallel to rows; never reused, like SQLite's max(rowid)+1 with the newest row kept. */
  private readonly ids: number[] = [];
  private closed = false;

  appendBatch(readings: readonly Reading[]): number {
    const before = this.rows.length;
    for (const r of readings) {
      const deviceTimed = r.quality.includes("device_time");
      if (deviceTimed && this.rows.some((s) => s.quality.includes("device_time") && s.deviceId === r.deviceId && s.vital === r.vital && s.time === r.time)) continue;
      this.rows.push({ ...r, quality: [...r.quality] });
      this.ids.push(this.lastRowid() + 1);
    }
    return this.rows.length - before;
  }

  readSince(q: ReadingQuery): Reading[] {
    const hits = this.rows
      .map((r, i) => ({ r, i }))
      .filter(({ r }) => r.patientId === q.patientId && (q.vital === undefined || r.vital === q.vital) && r.time >= q.since)
      .sort((a, b) => a.r.time - b.r.time || a.i - b.i)
      .map(({ r }) => r);
    return q.limit === undefined ? hits : hits.slice(0, q.limit);
  }

  latest(patientId: string): Reading[] {
    const byVital = new Map<string, Reading>();
    for (const r of this.rows) if (r.patientId === patientId) byVital.set(r.vital, r);
    return [...byVital.values()].sort((a, b) => a.vital.localeCompare(b.vital));
  }

  count(): number {
    return this.rows.length;
  }

  pruneBefore(time: number): number {
    const before = this.rows.length;
    const keep = this.rows.map((r, i) => r.time >= time || i === this.rows.length - 1);
    const rows = this.rows.filter((_, i) => keep[i]);
    const ids = this.ids.filter((_, i) => keep[i]);
    this.rows.splice(0, this.rows.length, ...rows);
    this.ids.splice(0, this.ids.length, ...ids);
    return before - rows.length;
  }

  lastRowid(): number {
    return this.ids.at(-1) ?? 0;
  }

  readingsAfter(rowid: number, limit: number): { rowid: number; reading: Reading }[] {
    return this.rows.flatMap((reading, i) => (this.ids[i]! > rowid ? [{ rowid: this.ids[i]!, reading }] : [])).slice(0, limit);
  }

  healthy(): boolean {
    return !this.closed;
  }

  close(): void {
    this.closed = true;
  }
}
