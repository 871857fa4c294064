/**
 * UpstreamOutbox on its own file, upstream.db (WAL). Durability per kind: a transaction that
 * holds an alert commits with synchronous=FULL (fsync of the WAL at commit, which also hardens
 * every earlier commit); reading-only transactions and acks commit with NORMAL. Why NORMAL is
 * enough for readings: readings.db is itself NORMAL, so a power cut loses the same last batch
 * locally and upstream; FULL would put an fsync on every batch (4.2k vs 44k commits/s measured,
 * far worse on SD cards; research reliability-security-ecosystem.md §3.4). A lost ack only
 * re-sends a message the receiver de-duplicates by seq.
 */
import type Database from "better-sqlite3";
import type { OutboxItem, OutboxRow, UpstreamKind, UpstreamOutbox, UpstreamOutboxLimits, UpstreamOutboxStats } from "../../ports/upstreamOutbox.js";
import { openDatabase } from "../sqlite/open.js";

// AUTOINCREMENT: a seq is never reused even once the table empties (the receiver's dedupe key).
const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL CHECK (kind IN ('alert', 'reading')),
  topic TEXT NOT NULL, body TEXT NOT NULL, retain INTEGER NOT NULL, expiry INTEGER,
  bytes INTEGER NOT NULL, created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS outbox_kind ON outbox (kind, seq);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
`;

interface Raw {
  seq: number;
  kind: UpstreamKind;
  topic: string;
  body: string;
  retain: number;
  expiry: number | null;
  created_at: number;
}

export class SqliteUpstreamOutbox implements UpstreamOutbox {
  private readonly db: Database.Database;
  private readonly counts = { alert: 0, reading: 0 };
  private bytes = 0;
  private dropped = 0;
  /** Highest reading seq handed to the publisher: those are in flight and not dropped. */
  private handedOut = 0;
  private readonly insert: Database.Statement;
  private readonly write: (items: readonly OutboxItem[]) => number[];

  constructor(
    file: string,
    private readonly limits: UpstreamOutboxLimits,
    private readonly now: () => number,
  ) {
    this.db = openDatabase(file, "normal", SCHEMA);
    for (const r of this.db.prepare("SELECT kind, COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM outbox GROUP BY kind").all() as { kind: UpstreamKind; n: number; b: number }[]) {
      this.counts[r.kind] = r.n;
      this.bytes += r.b;
    }
    this.dropped = (this.db.prepare("SELECT value FROM meta WHERE key = 'dropped_readings'").get() as { value: number } | undefined)?.value ?? 0;
    this.insert = this.db.prepare("INSERT INTO outbox (kind, topic, body, retain, expiry, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    this.write = this.db.transaction((items: readonly OutboxItem[]) => {
      const at = this.now();
      const seqs = items.map((i) => {
        const bytes = Buffer.byteLength(i.body);
        const seq = Number(this.insert.run(i.kind, i.topic, i.body, i.retain === true ? 1 : 0, i.expirySeconds ?? null, bytes, at).lastInsertRowid);
        this.counts[i.kind]++;
        this.bytes += bytes;
        return seq;
      });
      this.enforceLimits();
      return seqs;
    });
  }

  enqueue(items: readonly OutboxItem[]): number[] {
    if (items.length === 0) return [];
    const alerts = items.some((i) => i.kind === "alert");
    const before = { ...this.counts, bytes: this.bytes, dropped: this.dropped };
    if (alerts) this.db.pragma("synchronous = FULL");
    try {
      return this.write(items);
    } catch (e) {
      // The transaction rolled back: so do the counters.
      Object.assign(this.counts, { alert: before.alert, reading: before.reading });
      this.bytes = before.bytes;
      this.dropped = before.dropped;
      throw e;
    } finally {
      if (alerts) this.db.pragma("synchronous = NORMAL");
    }
  }

  peek(kind: UpstreamKind, afterSeq: number, limit: number): OutboxRow[] {
    const rows = this.db.prepare("SELECT seq, kind, topic, body, retain, expiry, created_at FROM outbox WHERE kind = ? AND seq > ? ORDER BY seq LIMIT ?").all(kind, afterSeq, limit) as Raw[];
    const last = rows.at(-1);
    if (kind === "reading" && last && last.seq > this.handedOut) this.handedOut = last.seq;
    return rows.map((r) => ({
      seq: r.seq,
      kind: r.kind,
      topic: r.topic,
      body: r.body,
      retain: r.retain === 1,
      ...(r.expiry === null ? {} : { expirySeconds: r.expiry }),
      createdAt: r.created_at,
    }));
  }

  ack(seqs: readonly number[]): void {
    const del = this.db.prepare("DELETE FROM outbox WHERE seq = ? RETURNING kind, bytes");
    this.db.transaction(() => {
      for (const seq of seqs) {
        const r = del.get(seq) as { kind: UpstreamKind; bytes: number } | undefined;
        if (!r) continue;
        this.counts[r.kind]--;
        this.bytes -= r.bytes;
      }
    })();
  }

  rewind(): void {
    this.handedOut = 0;
  }

  stats(): UpstreamOutboxStats {
    return { alerts: this.counts.alert, readings: this.counts.reading, bytes: this.bytes, droppedReadings: this.dropped };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Drop policy: oldest readings not in flight go first; alerts never (they may exceed the bound). */
  private enforceLimits(): void {
    const over = (): boolean => this.counts.alert + this.counts.reading > this.limits.maxRows || this.bytes > this.limits.maxBytes;
    if (!over()) return;
    const oldest = this.db.prepare("SELECT seq, bytes FROM outbox WHERE kind = 'reading' AND seq > ? ORDER BY seq LIMIT 500");
    let floor = this.handedOut;
    let n = 0;
    while (over()) {
      const chunk = oldest.all(floor) as { seq: number; bytes: number }[];
      if (chunk.length === 0) break; // only alerts and in-flight readings left
      for (const r of chunk) {
        if (!over()) break;
        floor = r.seq;
        this.counts.reading--;
        this.bytes -= r.bytes;
        n++;
      }
    }
    if (n === 0) return;
    this.db.prepare("DELETE FROM outbox WHERE kind = 'reading' AND seq > ? AND seq <= ?").run(this.handedOut, floor);
    this.dropped += n;
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('dropped_readings', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(this.dropped);
  }
}
