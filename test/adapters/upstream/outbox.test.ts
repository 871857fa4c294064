import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { SqliteUpstreamOutbox } from "../../../src/adapters/upstream/outbox.js";
import { MemoryUpstreamOutbox } from "./memoryUpstreamOutbox.js";
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
