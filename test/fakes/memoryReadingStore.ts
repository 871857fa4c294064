/** In-memory ReadingStore for unit tests; passes the same contract suite as the SQLite one. */
import type { Reading } from "../../src/core/model.js";
import type { ReadingQuery, ReadingStore } from "../../src/ports/readingStore.js";

export class MemoryReadingStore implements ReadingStore {
  private readonly rows: Reading[] = [];
  private closed = false;

  appendBatch(readings: readonly Reading[]): number {
    const before = this.rows.length;
    for (const r of readings) {
      const deviceTimed = r.quality.includes("device_time");
      if (deviceTimed && this.rows.some((s) => s.quality.includes("device_time") && s.deviceId === r.deviceId && s.vital === r.vital && s.time === r.time)) continue;
      this.rows.push({ ...r, quality: [...r.quality] });
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
    const kept = this.rows.filter((r) => r.time >= time);
    this.rows.splice(0, this.rows.length, ...kept);
    return before - kept.length;
  }

  healthy(): boolean {
    return !this.closed;
  }

  close(): void {
    this.closed = true;
  }
}
