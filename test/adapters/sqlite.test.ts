/** Durability settings and credentials, checked on real SQLite files. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/adapters/sqlite/open.js";
import { TokenStore } from "../../src/adapters/sqlite/tokenStore.js";

const tmp = () => mkdtempSync(join(tmpdir(), "vg-sqlite-"));

describe("SQLite files", () => {
  it("alarms get WAL + FULL, readings WAL + NORMAL (reliability-security-ecosystem.md)", () => {
    const dir = tmp();
    const alarms = openDatabase(join(dir, "alarms.db"), "full", "");
    const readings = openDatabase(join(dir, "readings.db"), "normal", "");
    expect([alarms.pragma("journal_mode", { simple: true }), alarms.pragma("synchronous", { simple: true })]).toEqual(["wal", 2]);
    expect([readings.pragma("journal_mode", { simple: true }), readings.pragma("synchronous", { simple: true })]).toEqual(["wal", 1]);
    alarms.close();
    readings.close();
  });
});

describe("TokenStore", () => {
  it("stores only hashes: the secret never appears in auth.db", () => {
    const file = join(tmp(), "auth.db");
    const store = new TokenStore(file, () => 1000);
    const { token } = store.createToken("nurse", "n1");
    store.close();
    const raw = new Database(file, { readonly: true });
    const dump = JSON.stringify(raw.prepare("SELECT * FROM credentials").all());
    raw.close();
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.slice(4));
  });

  it("a login code works once and only before it expires; tokens can be revoked", () => {
    let now = 1000;
    const store = new TokenStore(join(tmp(), "auth.db"), () => now);
    const once = store.createLoginCode("nurse", "demo", 60_000);
    expect(store.verifyToken(once.token)).toBeUndefined(); // a login code is not a bearer token
    expect(store.redeemLoginCode(once.token)).toMatchObject({ role: "nurse", name: "demo" });
    expect(store.redeemLoginCode(once.token)).toBeUndefined();
    const late = store.createLoginCode("nurse", "demo", 60_000);
    now += 60_001;
    expect(store.redeemLoginCode(late.token)).toBeUndefined();
    const t = store.createToken("viewer", "v");
    expect(store.verifyToken(t.token)?.role).toBe("viewer");
    expect(store.revoke(t.id)).toBe(true);
    expect(store.verifyToken(t.token)).toBeUndefined();
    expect(store.verifyToken("x".repeat(10_000))).toBeUndefined();
    store.close();
  });
});
