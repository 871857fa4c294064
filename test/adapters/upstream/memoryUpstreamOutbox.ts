/** In-memory UpstreamOutbox for unit tests; passes the same contract suite as the SQLite one. */
import type { DroppedRange, OutboxItem, OutboxRow, ReadingsMark, UpstreamKind, UpstreamOutbox, UpstreamOutboxLimits, UpstreamOutboxStats } from "../../../src/ports/upstreamOutbox.js";

export class MemoryUpstreamOutbox implements UpstreamOutbox {
  private rows: OutboxRow[] = [];
  private next = 1;
  private dropped = 0;
  private handedOut = 0;
  private mark: number | undefined;
  private readonly open = new Map<string, OutboxRow>();
  private ranges: DroppedRange[] = [];

  constructor(private readonly limits: UpstreamOutboxLimits, private readonly now: () => number = () => 0) {}

  enqueue(items: readonly OutboxItem[], mark?: ReadingsMark): number[] {
    const seqs = items.map((i) => {
      const seq = this.next++;
      const row = { ...i, seq, createdAt: this.now() };
      this.rows.push(row);
      if (i.alert?.open === true) this.open.set(i.alert.id, row);
      else if (i.alert) this.open.delete(i.alert.id);
      return seq;
    });
    if (mark) this.mark = mark.readingsRowid;
    const victims: number[] = [];
    while (this.over()) {
      const victim = this.rows.findIndex((r) => r.kind === "reading" && r.seq > this.handedOut);
      if (victim < 0) break;
      victims.push(this.rows[victim]!.seq);
      this.rows.splice(victim, 1);
      this.dropped++;
    }
    if (victims.length > 0) this.ranges.push({ first: victims[0]!, last: victims.at(-1)!, count: victims.length, at: this.now() });
    return seqs;
  }

  peek(kind: UpstreamKind, afterSeq: number, limit: number): OutboxRow[] {
    const out = this.rows.filter((r) => r.kind === kind && r.seq > afterSeq).slice(0, limit);
    const last = out.at(-1);
    if (kind === "reading" && last && last.seq > this.handedOut) this.handedOut = last.seq;
    return out;
  }

  ack(seqs: readonly number[]): void {
    const gone = new Set(seqs);
    this.rows = this.rows.filter((r) => !gone.has(r.seq));
  }

  rewind(): void {
    this.handedOut = 0;
  }

  readingsMark(): number | undefined {
    return this.mark;
  }

  openAlerts(): OutboxRow[] {
    const queued = new Set(this.rows.map((r) => r.seq));
    return [...this.open.values()].filter((r) => !queued.has(r.seq)).sort((a, b) => a.seq - b.seq).map((r) => ({ seq: r.seq, kind: "alert", topic: r.topic, body: r.body, retain: true, createdAt: 0 }));
  }

  /** No earlier run in memory: nothing to forget. */
  forgetClosedAlerts(_openIds: readonly string[]): number {
    return 0;
  }

  droppedRanges(limit: number): DroppedRange[] {
    return this.ranges.slice(0, limit);
  }

  ackDropped(firsts: readonly number[]): void {
    this.ranges = this.ranges.filter((r) => !firsts.includes(r.first));
  }

  stats(): UpstreamOutboxStats {
    const count = (k: UpstreamKind): number => this.rows.filter((r) => r.kind === k).length;
    return { alerts: count("alert"), readings: count("reading"), bytes: this.bytes(this.rows), droppedReadings: this.dropped };
  }

  close(): void {}

  private bytes(rows: readonly OutboxRow[]): number {
    return rows.reduce((n, r) => n + Buffer.byteLength(r.body), 0);
  }

  /** Rows in flight (readings handed out, still here) are outside the bound. */
  private over(): boolean {
    const waiting = this.rows.filter((r) => !(r.kind === "reading" && r.seq <= this.handedOut));
    return waiting.length > this.limits.maxRows || this.bytes(waiting) > this.limits.maxBytes;
  }
}
