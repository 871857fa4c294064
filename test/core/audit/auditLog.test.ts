/** The audit log on real SQLite files; tampering is done the way an attacker would, triggers dropped. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SqliteAlertOutbox } from "../../../src/adapters/sqlite/alertOutbox.js";
import { SqliteAuditLog, verifyAuditDb } from "../../../src/adapters/sqlite/auditLog.js";
import { run } from "../../../src/cli/audit.js";
import type { AuditEntry } from "../../../src/core/alerting/events.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "audit-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const entry = (i: number): AuditEntry => ({
  type: i % 2 ? "alert_raised" : "alert_state",
  at: 1_764_000_000_000 + i,
  patientId: "p1",
  alertId: `a${i}`,
  ...(i % 2 ? {} : { actor: { user: "n1", role: "nurse", client: "c1" } }),
  data: { i, priority: "high", nested: { z: 1, a: [1, 2] }, value: Number.NaN },
});

function seed(n: number): string {
  const file = join(dir, "alarms.db");
  const { log, db } = SqliteAuditLog.openFile(file);
  for (let i = 1; i <= n; i++) log.append(entry(i));
  db.close();
  return file;
}

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const w = vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, "write").mockImplementation((s) => ((out += String(s)), true));
  try {
    return { code: await run(args), out };
  } finally {
    w.mockRestore();
    e.mockRestore();
  }
}

function tamper(file: string, sql: string): void {
  const db = new Database(file);
  db.exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;");
  db.exec(sql);
  db.close();
}

describe("SqliteAuditLog", () => {
  it("chains rows across reopenings and verifies intact", async () => {
    const file = seed(3);
    const { log, db } = SqliteAuditLog.openFile(file);
    const rows = log.appendAll([entry(4), entry(5)]);
    expect(rows.map((r) => r.id)).toEqual([4, 5]);
    expect(rows[1]!.prev).toBe(rows[0]!.hash);
    expect(log.verify()).toMatchObject({ ok: true, rows: 5, head: rows[1]!.hash });
    db.close();
    expect(await cli(["verify", "--data-dir", dir])).toEqual({ code: 0, out: expect.stringContaining("intact: 5 rows") as string });
  });

  it("refuses UPDATE and DELETE through its triggers", () => {
    const file = seed(2);
    const db = new Database(file);
    expect(() => db.exec("UPDATE audit_log SET at = 0 WHERE id = 1")).toThrow(/append-only/);
    expect(() => db.exec("DELETE FROM audit_log WHERE id = 2")).toThrow(/append-only/);
    db.close();
  });

  it.each([
    ["a modified data column", "UPDATE audit_log SET data = replace(data, '\"high\"', '\"low\"') WHERE id = 3", 3, "modified"],
    ["a modified actor", "UPDATE audit_log SET actor = '{\"client\":\"c1\",\"role\":\"nurse\",\"user\":\"someone-else\"}' WHERE id = 4", 4, "modified"],
    ["a modified time", "UPDATE audit_log SET at = at + 1 WHERE id = 2", 2, "modified"],
    ["a deleted middle row", "DELETE FROM audit_log WHERE id = 3", 3, "missing"],
    ["a deleted middle row with ids renumbered", "DELETE FROM audit_log WHERE id = 3; UPDATE audit_log SET id = id - 1 WHERE id > 3", 3, "does not follow"],
    ["a deleted last row", "DELETE FROM audit_log WHERE id = 5", 4, "head"],
    ["a rewritten hash", "UPDATE audit_log SET hash = '00' || substr(hash, 3) WHERE id = 5", 5, "modified"],
    ["unparseable data", "UPDATE audit_log SET data = '{' WHERE id = 1", 1, "cannot be read"],
  ])("detects %s and names the row (exit 1)", async (_name, sql, rowId, words) => {
    const file = seed(5);
    tamper(file, sql);
    const { code, out } = await cli(["verify", "--data-dir", dir]);
    expect(code).toBe(1);
    expect(out).toContain(`BROKEN at row ${rowId}`);
    expect(out).toContain(words);
    expect(out).not.toContain("p1"); // no patient data in the output
  });

  it("exit 1 when there is no alarms.db or no audit table, 2 on usage errors", async () => {
    expect((await cli(["verify", "--data-dir", dir])).code).toBe(1);
    new Database(join(dir, "alarms.db")).close();
    expect(await cli(["verify", "--data-dir", dir])).toMatchObject({ code: 1, out: expect.stringContaining("no audit log") as string });
    expect((await cli(["check"])).code).toBe(2);
    expect((await cli(["verify", "--nope"])).code).toBe(2);
  });

  it("catches the last rows deleted and audit_head rewritten, through the checkpoint beside alarms.db (entries about no alert)", async () => {
    const file = join(dir, "alarms.db");
    const { log, db } = SqliteAuditLog.openFile(file);
    for (let i = 1; i <= 6; i++) log.append({ type: "clinical_input", at: 1_764_000_000_000 + i, patientId: "p1", data: { i } });
    db.close();
    const t = new Database(file);
    t.exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id > 4");
    t.prepare("UPDATE audit_head SET last_id = 4, last_hash = (SELECT hash FROM audit_log WHERE id = 4)").run();
    expect(verifyAuditDb(t)).toMatchObject({ ok: true }); // the chain alone sees nothing
    t.close();
    const { code, out } = await cli(["verify", "--data-dir", dir]);
    expect(code).toBe(1);
    expect(out).toContain("the log ends before row 6, which the checkpoint beside alarms.db records");
  });

  it("never checkpoints a head that was not committed (an append rolled back with its caller's transaction)", async () => {
    const file = join(dir, "alarms.db");
    const { log, db } = SqliteAuditLog.openFile(file);
    log.append(entry(1));
    expect(() =>
      db.transaction(() => {
        log.append(entry(2));
        throw new Error("the caller's transaction fails");
      })(),
    ).toThrow();
    db.close(); // as after a crash: what the checkpoint holds must be a committed head
    expect(await cli(["verify", "--data-dir", dir])).toMatchObject({ code: 0 });
  });

  it("makes a gateway starting on a log cut short report it (restorable problems), not restore silently", () => {
    const file = join(dir, "alarms.db");
    const outbox = new SqliteAlertOutbox(file);
    const log = new SqliteAuditLog(outbox.database);
    for (let i = 1; i <= 3; i++) log.append({ type: "clinical_input", at: 1_764_000_000_000 + i, patientId: "p1", data: { i } });
    expect(outbox.restorable().problems).toEqual([]);
    outbox.database.exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 3");
    outbox.database.prepare("UPDATE audit_head SET last_id = 2, last_hash = (SELECT hash FROM audit_log WHERE id = 2)").run();
    expect(outbox.restorable().problems).toEqual([expect.stringContaining("the log ends before row 3")]);
    outbox.close();
  });

  it("starts (with a problem to alarm on) when the chain's copy of an alert cannot be read, rather than refusing to start", () => {
    const file = join(dir, "alarms.db");
    const outbox = new SqliteAlertOutbox(file);
    const log = new SqliteAuditLog(outbox.database);
    outbox.database.exec(`INSERT INTO alerts (id, patient_id, cause, state, body, raised_at) VALUES ('a1', 'p1', 'c', 'active', '{"id":"a1","state":"active","raisedAt":1}', 1)`);
    log.append({ type: "alert_raised", at: 1, patientId: "p1", alertId: "a1", data: {} });
    outbox.database.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET alert_body = 'not json'; UPDATE alerts SET body = '{\"id\":\"a1\",\"state\":\"resolved\",\"raisedAt\":1}'");
    const r = outbox.restorable();
    expect(r.problems).toEqual(["the alerts table could not be checked against the audit log"]);
    outbox.close();
  });
});
