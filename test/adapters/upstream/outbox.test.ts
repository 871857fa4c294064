import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { SqliteUpstreamOutbox } from "../../../src/adapters/upstream/outbox.js";
import { MemoryUpstreamOutbox } from "./memoryUpstreamOutbox.js";
import type { OutboxItem } from "../../../src/ports/upstreamOutbox.js";
import { alertItem, reading, upstreamOutboxContract } from "../../contracts/upstreamOutbox.contract.js";

upstreamOutboxContract("SQLite upstream.db", (limits) => {
  const file = join(mkdtempSync(join(tmpdir(), "vg-upstream-")), "upstream.db");
  return { outbox: new SqliteUpstreamOutbox(file, limits, () => 1), reopen: () => new SqliteUpstreamOutbox(file, limits, () => 2) };
});
upstreamOutboxContract("in-memory fake", (limits) => ({ outbox: new MemoryUpstreamOutbox(limits) }));

it("upstream.db is WAL and back on synchronous NORMAL after an alert's FULL commit", () => {
  const file = join(mkdtempSync(join(tmpdir(), "vg-upstream-")), "upstream.db");
  const outbox = new SqliteUpstreamOutbox(file, { maxRows: 10, maxBytes: 10_000 }, () => 1);
  outbox.enqueue([alertItem("a"), reading(1)]);
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.prepare("SELECT kind FROM outbox ORDER BY seq").all()).toEqual([{ kind: "alert" }, { kind: "reading" }]);
  } finally {
    db.close();
    outbox.close();
  }
});

it("forgets an earlier run's open alert that alarms.db no longer has open, never one of this run", () => {
  const file = join(mkdtempSync(join(tmpdir(), "vg-upstream-")), "upstream.db");
  const open = (id: string): OutboxItem => ({ ...alertItem(id), alert: { id, open: true } });
  const first = new SqliteUpstreamOutbox(file, { maxRows: 10, maxBytes: 10_000 }, () => 1);
  first.ack(first.enqueue([open("stale"), open("still-open")])); // the resolve of "stale" was then lost in a crash
  first.close();
  const second = new SqliteUpstreamOutbox(file, { maxRows: 10, maxBytes: 10_000 }, () => 2);
  second.ack(second.enqueue([open("new")])); // raised in this run before alarms.db could be opened
  expect(second.forgetClosedAlerts(["still-open"])).toBe(1);
  expect(second.openAlerts().map((r) => r.topic)).toEqual(["gw/alerts/still-open", "gw/alerts/new"]);
  second.close();
});
