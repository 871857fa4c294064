import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteAlertOutbox } from "../../src/adapters/sqlite/alertOutbox.js";
import { MemoryAlertOutbox } from "../fakes/memoryAlertOutbox.js";
import { alertOutboxContract } from "./alertOutbox.contract.js";

alertOutboxContract("SQLite file", () => {
  const file = join(mkdtempSync(join(tmpdir(), "vg-alarms-")), "alarms.db");
  return { outbox: new SqliteAlertOutbox(file), reopen: () => new SqliteAlertOutbox(file) };
});
alertOutboxContract("in-memory fake", () => ({ outbox: new MemoryAlertOutbox() }));
