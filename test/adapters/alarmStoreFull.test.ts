/**
 * The alert path's disk-full policy on a real alarms.db: SQLite itself refuses the writes
 * (SQLITE_FULL, forced with PRAGMA max_page_count, no root needed), alerts still reach the sink
 * in order, and once the database grows again the backlog is written in order and the audit
 * chain verifies. Also: a database that cannot be opened at all gives a store that opens later.
 */
import { mkdirSync, mkdtempSync, rmdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asyncScheduler } from "rxjs";
import { expect, it, vi } from "vitest";
import { AlarmStore } from "../../src/adapters/sqlite/alarmStore.js";
import { SqliteAuditLog } from "../../src/adapters/sqlite/auditLog.js";
import type { AlertEvent, PushEvent } from "../../src/core/alerting/events.js";
import { persistThenPush } from "../../src/core/alerting/persistThenPush.js";
import type { LinkState } from "../../src/core/link.js";
import type { Alert } from "../../src/core/model.js";

const alert = (n: number): Alert => ({
  id: `a${n}`, patientId: "p1", kind: "physiological", priority: "high", cause: `c${n}`, message: "x".repeat(2000), state: "active", ruleSetVersion: "t", inputs: [], limits: {}, raisedAt: n, raisedAtMonotonic: n, updatedAt: n,
});
const raise = (n: number): AlertEvent => ({ type: "raise", alert: alert(n), announce: true, audit: { type: "alert_raised", at: n, alertId: `a${n}`, data: { n } } });

function pathOn(store: AlarmStore) {
  const pushed: string[] = [];
  const storage: LinkState[] = [];
  const path = persistThenPush({ journal: store, sinks: [{ deliver: (events: readonly PushEvent[]) => pushed.push(...events.map((e) => e.alert.id)) }], scheduler: asyncScheduler, retryMs: 20 });
  path.storage$.subscribe((s) => storage.push(s));
  return { pushed, storage, path };
}

it("SQLITE_FULL on a real file: pushed from memory in order, written in order when there is room, audit intact", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "vg-full-")), "alarms.db");
  let db: import("better-sqlite3").Database | undefined;
  const store = new AlarmStore(file, (outbox) => (db = outbox.database));
  const { pushed, storage, path } = pathOn(store);
  try {
    path.deliver([raise(0)]);
    expect(db).toBeDefined();
    const pages = (db?.pragma("page_count", { simple: true }) as number) + 2;
    db?.pragma(`max_page_count = ${pages}`); // the disk is now "full" a few pages on
    for (let n = 1; n <= 20; n++) path.deliver([raise(n)]);
    expect(pushed).toEqual(Array.from({ length: 21 }, (_, n) => `a${n}`)); // every alert reached the nurses
    expect(storage.at(-1)).toEqual({ up: false, why: "SQLITE_FULL" });
    const waiting = path.backlog();
    expect(waiting).toBeGreaterThan(0);

    db?.pragma("max_page_count = 1073741823"); // space returns
    await vi.waitFor(() => expect(path.backlog()).toBe(0), { timeout: 10_000, interval: 20 });
    expect(storage.at(-1)).toEqual({ up: true });
    const rows = db?.prepare("SELECT id FROM alerts ORDER BY rowid").all() as { id: string }[];
    expect(rows.map((r) => r.id)).toEqual(pushed);
    const audit = new SqliteAuditLog(db as import("better-sqlite3").Database);
    expect(audit.verify()).toMatchObject({ ok: true });
    const order = (db?.prepare("SELECT alert_id FROM audit_log ORDER BY id").all() as { alert_id: string }[]).map((r) => r.alert_id);
    expect(order).toEqual(pushed);
  } finally {
    path.stop();
    store.close();
  }
});

it("a database that cannot be opened: degraded (alerts pushed, storage down), opened and written at a later retry", async () => {
  const dir = mkdtempSync(join(tmpdir(), "vg-noopen-"));
  const file = join(dir, "alarms.db");
  mkdirSync(file); // a directory where the database should be: SQLite cannot open it
  let opened = 0;
  const store = new AlarmStore(file, () => opened++);
  const { pushed, storage, path } = pathOn(store);
  try {
    path.check();
    expect(storage.at(-1)?.up).toBe(false);
    path.deliver([raise(1)]);
    expect(pushed).toEqual(["a1"]);
    expect(store.healthy()).toBe(false);
    rmdirSync(file);
    await vi.waitFor(() => expect(path.backlog()).toBe(0), { timeout: 10_000, interval: 20 });
    expect(opened).toBe(1);
    expect(store.get("a1")?.state).toBe("active");
    expect(storage.at(-1)).toEqual({ up: true });
  } finally {
    path.stop();
    store.close();
  }
});
