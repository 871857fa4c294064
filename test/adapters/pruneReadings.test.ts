/** Hourly pruning of old readings, in virtual time: the cut-off, and a failure that is reported and retried. */
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { PRUNE_EVERY_MS, pruneReadings } from "../../src/adapters/sqlite/pruneReadings.js";
import type { Diagnostic } from "../../src/core/errors.js";
import type { Logger } from "../../src/ports/logger.js";

const DAY = 86_400_000;

function rig(pruneBefore: (time: number) => number) {
  const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
  const reports: Diagnostic[] = [];
  const logs: unknown[] = [];
  const log: Logger = { log: (_at, msg, fields) => logs.push({ msg, ...fields }), child: () => log };
  const clock = { now: () => 40 * DAY + ts.now(), monotonic: () => ts.now() };
  return { ts, reports, logs, start: () => pruneReadings({ pruneBefore }, 30, { clock, scheduler: ts, log, report: (d) => reports.push(d) }) };
}

describe("pruneReadings", () => {
  it("deletes readings older than the retention period once an hour", () => {
    const cutoffs: number[] = [];
    const r = rig((time) => (cutoffs.push(time), 5));
    const sub = r.start();
    r.ts.flush(); // nothing before the first hour
    expect(cutoffs).toEqual([]);
    r.ts.maxFrames = 2 * PRUNE_EVERY_MS + 1;
    r.ts.flush();
    sub.unsubscribe();
    expect(cutoffs).toEqual([10 * DAY + PRUNE_EVERY_MS, 10 * DAY + 2 * PRUNE_EVERY_MS]);
    expect(r.logs).toEqual([
      { msg: "old readings pruned", pruned: 5, retentionDays: 30 },
      { msg: "old readings pruned", pruned: 5, retentionDays: 30 },
    ]);
  });

  it("reports a failed prune as store_failed and tries again the next hour", () => {
    let calls = 0;
    const r = rig(() => {
      if (++calls === 1) throw new Error("SQLITE_BUSY: database is locked");
      return 3;
    });
    r.ts.maxFrames = 2 * PRUNE_EVERY_MS + 1;
    const sub = r.start();
    r.ts.flush();
    expect(sub.closed).toBe(false);
    sub.unsubscribe();
    expect(calls).toBe(2);
    expect(r.reports).toEqual([{ code: "store_failed", message: "old readings not pruned, will retry in an hour: SQLITE_BUSY: database is locked", where: "readings.db" }]);
    expect(r.logs).toEqual([{ msg: "old readings pruned", pruned: 3, retentionDays: 30 }]);
  });
});
