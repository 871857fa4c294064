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
import type { DroppedRange, OutboxItem, OutboxRow, ReadingsMark, UpstreamKind, UpstreamOutbox, UpstreamOutboxLimits, UpstreamOutboxStats } from "../../ports/upstreamOutbox.js";
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
CREATE TABLE IF NOT EXISTS open_alerts (alert_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, topic TEXT NOT NULL, body TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS dropped (first INTEGER PRIMARY KEY, last INTEGER NOT NULL, count INTEGER NOT NULL, at INTEGER NOT NULL) STRICT;
`;
const SET_META = "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

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
  /** meta.readings_rowid as committed (read at every batch: kept in memory). */
  private mark: number | undefined;
  /** Seqs up to this were written by an earlier run. */
  private readonly startSeq: number;
  /** Readings handed out and not yet acknowledged: outside the bound (they are about to leave). */
  private readonly inFlight = { rows: 0, bytes: 0 };
  private readonly insert: Database.Statement;
  private readonly setMeta: Database.Statement;
  private readonly keepOpen: Database.Statement;
  private readonly forget: Database.Statement;
  private readonly write: (items: readonly OutboxItem[], mark?: ReadingsMark) => number[];

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
    const meta = (key: string) => (this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: number } | undefined)?.value;
    this.dropped = meta("dropped_readings") ?? 0;
    this.mark = meta("readings_rowid");
    this.startSeq = (this.db.prepare("SELECT COALESCE(MAX(seq), 0) AS seq FROM open_alerts").get() as { seq: number }).seq;
    this.insert = this.db.prepare("INSERT INTO outbox (kind, topic, body, retain, expiry, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    this.setMeta = this.db.prepare(SET_META);
    this.keepOpen = this.db.prepare("INSERT INTO open_alerts (alert_id, seq, topic, body) VALUES (?, ?, ?, ?) ON CONFLICT (alert_id) DO UPDATE SET seq = excluded.seq, topic = excluded.topic, body = excluded.body");
    this.forget = this.db.prepare("DELETE FROM open_alerts WHERE alert_id = ?");
    this.write = this.db.transaction((items: readonly OutboxItem[], mark?: ReadingsMark) => {
      const at = this.now();
      const seqs = items.map((i) => {
        const bytes = Buffer.byteLength(i.body);
        const seq = Number(this.insert.run(i.kind, i.topic, i.body, i.retain === true ? 1 : 0, i.expirySeconds ?? null, bytes, at).lastInsertRowid);
        this.counts[i.kind]++;
        this.bytes += bytes;
        if (i.alert?.open === true) this.keepOpen.run(i.alert.id, seq, i.topic, i.body);
        else if (i.alert) this.forget.run(i.alert.id);
        return seq;
      });
      if (mark) this.setMeta.run("readings_rowid", mark.readingsRowid);
      this.enforceLimits();
      return seqs;
    });
  }

  enqueue(items: readonly OutboxItem[], mark?: ReadingsMark): number[] {
    if (items.length === 0 && !mark) return [];
    const alerts = items.some((i) => i.kind === "alert");
    const before = { ...this.counts, bytes: this.bytes, dropped: this.dropped };
    if (alerts) this.db.pragma("synchronous = FULL");
    try {
      const seqs = this.write(items, mark);
      if (mark) this.mark = mark.readingsRowid; // committed
      return seqs;
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
    if (kind === "reading" && last && last.seq > this.handedOut) {
      for (const r of rows) if (r.seq > this.handedOut) this.takeOff(r.body);
      this.handedOut = last.seq;
    }
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
        if (r.kind === "reading" && seq <= this.handedOut) {
          this.inFlight.rows--;
          this.inFlight.bytes -= r.bytes;
        }
      }
    })();
  }

  rewind(): void {
    this.handedOut = 0;
    this.inFlight.rows = 0;
    this.inFlight.bytes = 0;
  }

  readingsMark(): number | undefined {
    return this.mark;
  }

  openAlerts(): OutboxRow[] {
    const rows = this.db.prepare("SELECT seq, topic, body FROM open_alerts WHERE seq NOT IN (SELECT seq FROM outbox) ORDER BY seq").all() as { seq: number; topic: string; body: string }[];
    return rows.map((r) => ({ seq: r.seq, kind: "alert", topic: r.topic, body: r.body, retain: true, createdAt: 0 }));
  }

  forgetClosedAlerts(openIds: readonly string[]): number {
    const open = new Set(openIds);
    const stale = (this.db.prepare("SELECT alert_id FROM open_alerts WHERE seq <= ?").all(this.startSeq) as { alert_id: string }[]).filter((r) => !open.has(r.alert_id));
    this.db.transaction(() => stale.forEach((r) => this.forget.run(r.alert_id)))();
    return stale.length;
  }

  droppedRanges(limit: number): DroppedRange[] {
    return this.db.prepare("SELECT first, last, count, at FROM dropped ORDER BY first LIMIT ?").all(limit) as DroppedRange[];
  }

  ackDropped(firsts: readonly number[]): void {
    const del = this.db.prepare("DELETE FROM dropped WHERE first = ?");
    this.db.transaction(() => firsts.forEach((f) => del.run(f)))();
  }

  private takeOff(body: string): void {
    this.inFlight.rows++;
    this.inFlight.bytes += Buffer.byteLength(body);
  }

  stats(): UpstreamOutboxStats {
    return { alerts: this.counts.alert, readings: this.counts.reading, bytes: this.bytes, droppedReadings: this.dropped };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Drop policy: oldest readings not in flight go first; alerts never (they may exceed the bound). */
  private enforceLimits(): void {
    const over = (): boolean => this.counts.alert + this.counts.reading - this.inFlight.rows > this.limits.maxRows || this.bytes - this.inFlight.bytes > this.limits.maxBytes;
    if (!over()) return;
    const oldest = this.db.prepare("SELECT seq, bytes FROM outbox WHERE kind = 'reading' AND seq > ? ORDER BY seq LIMIT 500");
    let floor = this.handedOut;
    let first = 0;
    let n = 0;
    while (over()) {
      const chunk = oldest.all(floor) as { seq: number; bytes: number }[];
      if (chunk.length === 0) break; // only alerts and in-flight readings left
      for (const r of chunk) {
        if (!over()) break;
        if (n === 0) first = r.seq;
        floor = r.seq;
        this.counts.reading--;
        this.bytes -= r.bytes;
        n++;
      }
    }
    if (n === 0) return;
    this.db.prepare("DELETE FROM outbox WHERE kind = 'reading' AND seq > ? AND seq <= ?").run(this.handedOut, floor);
    this.dropped += n;
    this.setMeta.run("dropped_readings", this.dropped);
    this.db.prepare("INSERT INTO dropped (first, last, count, at) VALUES (?, ?, ?, ?)").run(first, floor, n, this.now());
  }
}
