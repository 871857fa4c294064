import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteReadingStore } from "../../src/adapters/sqlite/readingStore.js";
import { MemoryReadingStore } from "../fakes/memoryReadingStore.js";
import { readingStoreContract } from "./readingStore.contract.js";

readingStoreContract("SQLite file", () => {
  const file = join(mkdtempSync(join(tmpdir(), "vg-readings-")), "readings.db");
  return { store: new SqliteReadingStore(file), reopen: () => new SqliteReadingStore(file) };
});
readingStoreContract("in-memory fake", () => ({ store: new MemoryReadingStore() }));
