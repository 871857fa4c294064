/**
 * The failure policy of the one alert path with a journal whose store throws like a full disk:
 * alerts still reach the nurses, in order, the storage condition goes down and up, and what was
 * kept in memory is written in order once the store accepts writes again.
 */
import { Subscription, type SchedulerLike } from "rxjs";
import { expect, it } from "vitest";
import type { AlertEvent, AuditEntry, PushEvent } from "../../../src/core/alerting/events.js";
import { AlertJournal } from "../../../src/core/alerting/journal.js";
import { persistThenPush } from "../../../src/core/alerting/persistThenPush.js";
import type { LinkState } from "../../../src/core/link.js";
import type { Alert } from "../../../src/core/model.js";
import { MemoryAlertOutbox } from "../../fakes/memoryAlertOutbox.js";

const alert = (id: string, state: Alert["state"] = "active"): Alert => ({
  id, patientId: "p1", kind: "physiological", priority: "high", cause: `news2-${id}`, message: "NEWS2 9", state, ruleSetVersion: "t", inputs: [], limits: {}, raisedAt: 1, raisedAtMonotonic: 1, updatedAt: 1,
});
const raise = (id: string): AlertEvent => ({ type: "raise", alert: alert(id), announce: true, audit: { type: "alert_raised", at: 1, alertId: id, data: {} } });

function rig() {
  const outbox = new MemoryAlertOutbox();
  const audited: AuditEntry[] = [];
  const disk = { full: false };
  const sqliteFull = Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
  // All or nothing, like a SQLite transaction: the audit rows are staged and kept only on commit.
  const journal = new AlertJournal(outbox, { appendAll: (entries) => audited.push(...entries) }, (work) => {
    if (disk.full) throw sqliteFull;
    work();
  });
  const pushed: string[] = [];
  const scheduler = new StepScheduler();
  const errors: unknown[] = [];
  const path = persistThenPush({ journal, sinks: [{ deliver: (events: readonly PushEvent[]) => pushed.push(...events.map((e) => e.alert.id)) }], scheduler, retryMs: 1000, onWriteError: (e) => errors.push(e) });
  const storage: LinkState[] = [];
  path.storage$.subscribe((s) => storage.push(s));
  return { outbox, audited, disk, pushed, scheduler, path, storage, errors };
}

it("persists, then pushes", () => {
  const r = rig();
  r.path.deliver([raise("a1")]);
  expect(r.outbox.get("a1")?.state).toBe("active");
  expect(r.pushed).toEqual(["a1"]);
  expect(r.storage).toEqual([{ up: true }]);
});

it("on a full disk: pushes from memory, never throws, goes down with the code, retries in order and comes back up", () => {
  const r = rig();
  r.disk.full = true;
  expect(() => r.path.deliver([raise("a1")])).not.toThrow();
  r.path.deliver([raise("a2")]);
  expect(r.pushed).toEqual(["a1", "a2"]); // the nurses see both though neither is written
  expect(r.storage).toEqual([{ up: true }, { up: false, why: "SQLITE_FULL" }]);
  expect(r.path.backlog()).toBe(2);
  expect(r.outbox.open()).toEqual([]);

  expect(r.scheduler.step()).toBe(1000); // still full: the retry fails and schedules the next
  expect(r.path.backlog()).toBe(2);
  r.disk.full = false;
  expect(r.scheduler.step()).toBe(1000);
  expect(r.scheduler.pending()).toBe(0); // written: no more retries
  expect(r.outbox.open().map((a) => a.id)).toEqual(["a1", "a2"]);
  expect(r.audited.map((a) => a.alertId)).toEqual(["a1", "a2"]); // in the order they happened
  expect(r.path.backlog()).toBe(0);
  expect(r.storage.at(-1)).toEqual({ up: true });
  expect(r.errors.length).toBeGreaterThanOrEqual(2);
});

it("a batch delivered while the backlog is being written (the storage alarm itself) is written after it", () => {
  const r = rig();
  r.disk.full = true;
  r.path.deliver([raise("a1")]);
  // The gateway answers storage$ with a condition whose events come back into deliver().
  r.path.storage$.subscribe((s) => {
    if (s.up) r.path.deliver([raise("storage-clear")]);
  });
  r.disk.full = false;
  r.path.deliver([raise("a2")]);
  expect(r.audited.map((a) => a.alertId)).toEqual(["a1", "a2", "storage-clear"]);
});

it("a sink that throws does not keep the alert from the next sink, nor throw into the stream", () => {
  const outbox = new MemoryAlertOutbox();
  const seen: string[] = [];
  const errors: unknown[] = [];
  const broken = { deliver: () => { throw new Error("hub bug"); } };
  const path = persistThenPush({ journal: new AlertJournal(outbox, { appendAll: () => undefined }, (work) => work()), sinks: [broken, { deliver: (events: readonly PushEvent[]) => seen.push(...events.map((e) => e.alert.id)) }], scheduler: new StepScheduler(), retryMs: 1000, onSinkError: (e) => errors.push(e) });
  expect(() => path.deliver([raise("a1")])).not.toThrow();
  expect(seen).toEqual(["a1"]);
  expect(errors).toHaveLength(1);
});

/** Runs one scheduled action at a time, so a test can watch each retry. */
class StepScheduler implements SchedulerLike {
  private queue: { work: () => void; delay: number; sub: Subscription }[] = [];
  now = () => 0;
  schedule<T>(work: (this: unknown, state?: T) => void, delay = 0, state?: T): Subscription {
    const sub = new Subscription(() => (this.queue = this.queue.filter((q) => q.sub !== sub)));
    this.queue.push({ work: () => work.call(undefined, state), delay, sub });
    return sub;
  }
  pending = () => this.queue.length;
  /** Runs the oldest action and returns its delay. */
  step(): number {
    const next = this.queue.shift();
    if (!next) throw new Error("nothing scheduled");
    next.work();
    return next.delay;
  }
}
