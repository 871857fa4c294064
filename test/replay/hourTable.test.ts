import { describe, expect, it } from "vitest";
import { formatHourTable, hourTable, type RecordedAlertEvent } from "../../src/replay/hourTable.js";

const H = 3_600_000;
const ev = (event: string, kind: string, priority: string, recordedMs: number): RecordedAlertEvent => ({
  event, alertId: `${kind}-${recordedMs}`, patientId: "replay", kind, priority, cause: `${kind}:x`, state: "active", recordedMs, inputs: [],
});

describe("hourTable", () => {
  it("counts raises per recorded hour, kind and priority; ignores updates and resolves", () => {
    const rows = hourTable([
      ev("raise", "technical", "low", 60_000),
      ev("raise", "technical", "low", H - 1),
      ev("resolve", "technical", "low", 2 * 60_000),
      ev("raise", "threshold", "high", H),
      ev("raise", "threshold", "low", H + 5),
      ev("escalate", "threshold", "high", H + 10),
      ev("raise", "news2", "medium", 2 * H + 1),
    ]);
    expect(rows).toEqual([
      { hour: 0, kind: "technical", priority: "low", raised: 2 },
      { hour: 1, kind: "threshold", priority: "high", raised: 1 },
      { hour: 1, kind: "threshold", priority: "low", raised: 1 },
      { hour: 2, kind: "news2", priority: "medium", raised: 1 },
    ]);
  });

  it("puts an event from before the recording started into hour 0 and says when nothing was raised", () => {
    expect(hourTable([ev("raise", "technical", "high", -20)])[0]?.hour).toBe(0);
    expect(formatHourTable([])).toBe("no alarms raised\n");
    expect(formatHourTable(hourTable([ev("raise", "technical", "low", 0)]))).toMatch(/^hour .*\n +0 +technical +low +1\n$/);
  });
});
