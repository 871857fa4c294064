/** In-memory UpstreamOutbox for unit tests; passes the same contract suite as the SQLite one. */
import type { OutboxItem, OutboxRow, UpstreamKind, UpstreamOutbox, UpstreamOutboxLimits, UpstreamOutboxStats } from "../../../src/ports/upstreamOutbox.js";

export class MemoryUpstreamOutbox implements UpstreamOutbox {
  private rows: OutboxRow[] = [];
  private next = 1;
  private dropped = 0;
  private handedOut = 0;

  constructor(private readonly limits: UpstreamOutboxLimits, private readonly now: () => number = () => 0) {}

  enqueue(items: readonly OutboxItem[]): number[] {
    const seqs = items.map((i) => {
      const seq = this.next++;
      this.rows.push({ ...i, seq, createdAt: this.now() });
      return seq;
    });
    while (this.over()) {
      const victim = this.rows.findIndex((r) => r.kind === "reading" && r.seq > this.handedOut);
      if (victim < 0) break;
      this.rows.splice(victim, 1);
      this.dropped++;
    }
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

  stats(): UpstreamOutboxStats {
    const count = (k: UpstreamKind): number => this.rows.filter((r) => r.kind === k).length;
    return { alerts: count("alert"), readings: count("reading"), bytes: this.bytes(), droppedReadings: this.dropped };
  }

  close(): void {}

  private bytes(): number {
    return this.rows.reduce((n, r) => n + Buffer.byteLength(r.body), 0);
  }

  private over(): boolean {
    return this.rows.length > this.limits.maxRows || this.bytes() > this.limits.maxBytes;
  }
}
