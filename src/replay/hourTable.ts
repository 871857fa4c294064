/** Alarms raised per recorded hour, by kind and priority: what the replay prints. */
export interface RecordedAlertEvent {
  /** raise | update | escalate | resolve, as the console hears it. */
  readonly event: string;
  readonly alertId: string;
  readonly patientId: string;
  readonly kind: string;
  readonly priority: string;
  readonly cause: string;
  readonly state: string;
  /** Milliseconds since the start of the recording (recorded time, not wall time). */
  readonly recordedMs: number;
  readonly inputs: readonly { vital: string; value: number; unit: string; deviceId: string; recordedMs: number }[];
}

export interface HourRow {
  readonly hour: number;
  readonly kind: string;
  readonly priority: string;
  readonly raised: number;
}

const HOUR_MS = 3_600_000;
const PRIORITY_ORDER = ["high", "medium", "low"];

/** One row per (hour, kind, priority) with at least one raise, ordered by hour, kind, priority. */
export function hourTable(events: readonly RecordedAlertEvent[]): HourRow[] {
  const counts = new Map<string, HourRow>();
  for (const e of events) {
    if (e.event !== "raise") continue;
    const hour = Math.floor(Math.max(0, e.recordedMs) / HOUR_MS);
    const key = `${hour}\u0000${e.kind}\u0000${e.priority}`;
    const row = counts.get(key) ?? { hour, kind: e.kind, priority: e.priority, raised: 0 };
    counts.set(key, { ...row, raised: row.raised + 1 });
  }
  const rank = (p: string) => (PRIORITY_ORDER.indexOf(p) + PRIORITY_ORDER.length + 1) % (PRIORITY_ORDER.length + 1);
  return [...counts.values()].sort((a, b) => a.hour - b.hour || a.kind.localeCompare(b.kind) || rank(a.priority) - rank(b.priority));
}

export function formatHourTable(rows: readonly HourRow[]): string {
  if (rows.length === 0) return "no alarms raised\n";
  const lines = rows.map((r) => `${String(r.hour).padStart(4)}  ${r.kind.padEnd(14)}${r.priority.padEnd(8)}${String(r.raised).padStart(6)}`);
  return `hour  kind          priority raised\n${lines.join("\n")}\n`;
}
