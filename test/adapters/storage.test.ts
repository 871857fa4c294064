/**
 * Storage in order (issue 11 item 4, issue 9 item 9): private files whatever the umask, one daemon
 * per data dir (a kill -9 leaves no stale lock), versioned forward-only migrations, and a corrupt
 * or newer database refused with its path, never modified.
 */
import { spawn } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { lockDataDir } from "../../src/adapters/sqlite/dataDirLock.js";
import { openDatabase } from "../../src/adapters/sqlite/open.js";
import { StorageError } from "../../src/adapters/sqlite/storageError.js";
import { packagePath } from "../../src/packageRoot.js";
import { runCli } from "../helpers/cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "vg-storage-"));
const mode = (path: string) => statSync(path).mode & 0o777;
const digest = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const SCHEMA = "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT);";

describe("file modes", () => {
  it("database, -wal and -shm are 0600 and the data dir 0700 under umask 022, also when they existed wider", () => {
    const old = process.umask(0o022);
    try {
      const dir = join(tmp(), "data");
      mkdirSync(dir, { mode: 0o755 });
      chmodSync(dir, 0o755);
      writeFileSync(join(dir, "old.db"), "", { mode: 0o644 });
      const lock = lockDataDir(dir);
      const fresh = openDatabase(join(dir, "fresh.db"), "full", SCHEMA);
      fresh.prepare("INSERT INTO t (v) VALUES ('x')").run();
      const reopened = openDatabase(join(dir, "old.db"), "normal", SCHEMA);
      expect(mode(dir)).toBe(0o700);
      for (const f of ["fresh.db", "fresh.db-wal", "fresh.db-shm", "old.db", "gateway.lock", "gateway.pid"]) expect([f, mode(join(dir, f))]).toEqual([f, 0o600]);
      fresh.close();
      reopened.close();
      lock.release();
    } finally {
      process.umask(old);
    }
  });
});

describe("data-dir lock", () => {
  it("a second holder fails in one line naming the dir and the pid; released, it can be taken again", () => {
    const dir = tmp();
    const first = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(new StorageError(`${dir}: data directory is in use by another vitals-gateway (pid ${process.pid}); stop it first, or give this one another --data-dir`));
    first.release();
    lockDataDir(dir).release();
  });

  it("a holder killed with SIGKILL leaves no stale lock", async () => {
    const dir = tmp();
    const script = `import { lockDataDir } from ${JSON.stringify(packagePath("src", "adapters", "sqlite", "dataDirLock.ts"))}; lockDataDir(${JSON.stringify(dir)}); console.log("locked"); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => child.stdout.on("data", (d: Buffer) => d.toString().includes("locked") && resolve()));
    expect(() => lockDataDir(dir)).toThrow(`(pid ${child.pid})`);
    const gone = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await gone;
    lockDataDir(dir).release(); // the pid file still names the dead process; the kernel dropped its lock
  });

  it("an unwritable data dir is one line naming the path and the fix", async () => {
    const parent = tmp();
    const dir = join(parent, "data");
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(parent, 0o755);
    // As root every directory is writable: the check runs as nobody (65534) on a root-owned dir.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) chmodSync(dir, 0o500);
    const script = `import { lockDataDir } from ${JSON.stringify(packagePath("src", "adapters", "sqlite", "dataDirLock.ts"))}; try { lockDataDir(${JSON.stringify(dir)}); } catch (e) { console.log(e.message); }`;
    const out = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"], ...(asRoot ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: "/tmp" } } : {}) });
      let text = "";
      child.stdout.on("data", (d: Buffer) => (text += d.toString()));
      child.on("close", () => resolve(text));
    });
    expect(out.trim()).toMatch(new RegExp(`^${dir}: data directory is not usable \\(EACCES\\); make it writable by uid \\d+ \\(e\\.g\\. chown\\), or choose another --data-dir / dataDir$`));
  });
});

describe("migrations", () => {
  it("run once, forward only, in one transaction with user_version; a failing one changes nothing", () => {
    const file = join(tmp(), "m.db");
    openDatabase(file, "full", SCHEMA, []).close();
    const v2 = ["ALTER TABLE t ADD COLUMN w TEXT"];
    const db = openDatabase(file, "full", SCHEMA, v2);
    expect(db.pragma("user_version", { simple: true })).toBe(2);
    db.close();
    openDatabase(file, "full", SCHEMA, v2).close(); // a second ALTER would throw "duplicate column"
    expect(() => openDatabase(file, "full", SCHEMA, [...v2, "CREATE TABLE u (a); SELECT no_such_function()"])).toThrow(/no such function/);
    const after = new Database(file, { readonly: true });
    expect(after.pragma("user_version", { simple: true })).toBe(2);
    expect(after.prepare("SELECT name FROM sqlite_master WHERE name = 'u'").get()).toBeUndefined();
    after.close();
  });

  it("`migrate` brings the databases today's code wrote (user_version 0) to version 1, rows intact", async () => {
    const dir = join(tmp(), "data");
    cpSync(packagePath("test", "fixtures", "storage-v0"), dir, { recursive: true });
    const r = await runCli(["migrate", "--data-dir", dir]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    for (const f of ["alarms.db", "readings.db", "auth.db", "upstream.db"]) expect(r.stdout).toContain(`${join(dir, f)}: version 0 -> 1, quick_check ok`);
    const counts = (f: string, table: string) => {
      const db = new Database(join(dir, f), { readonly: true });
      try {
        return [db.pragma("user_version", { simple: true }), (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n];
      } finally {
        db.close();
      }
    };
    expect(counts("readings.db", "readings")).toEqual([1, 662]);
    expect(counts("alarms.db", "alerts")).toEqual([1, 7]);
    expect(counts("alarms.db", "audit_log")).toEqual([1, 16]);
    expect(counts("upstream.db", "outbox")).toEqual([1, 1]);
    expect((await runCli(["audit", "verify", "--data-dir", dir])).code).toBe(0);
    expect((await runCli(["migrate", "--data-dir", dir])).stdout).toContain(`${join(dir, "alarms.db")}: at version 1`);
  }, 60_000);
});

describe("refused databases", () => {
  it("a newer schema version is refused with its path and left byte for byte", () => {
    const file = join(tmp(), "alarms.db");
    const db = new Database(file);
    db.exec(SCHEMA);
    db.pragma("user_version = 7");
    db.close();
    const before = digest(file);
    expect(() => openDatabase(file, "full", SCHEMA)).toThrow(new StorageError(`${file}: schema version 7 is newer than this vitals-gateway knows (1); it was not modified — run the newer release again or restore a backup`));
    expect(digest(file)).toBe(before);
  });

  it.each([
    ["a damaged b-tree page", (file: string) => overwrite(file, 4096, 16)],
    ["a damaged header", (file: string) => overwrite(file, 0, 16)],
  ])("a corrupt database (%s) is refused with its path and never recreated", (_, damage) => {
    const file = join(tmp(), "readings.db");
    const db = new Database(file);
    db.exec("CREATE TABLE big (x TEXT); CREATE INDEX big_x ON big (x);");
    for (let i = 0; i < 400; i++) db.prepare("INSERT INTO big VALUES (?)").run(`row ${i} ${"y".repeat(50)}`);
    db.close();
    damage(file);
    const before = digest(file);
    expect(() => openDatabase(file, "normal", SCHEMA)).toThrow(StorageError);
    expect(() => openDatabase(file, "normal", SCHEMA)).toThrow(new RegExp(`^${file}: database is corrupt \\(.+\\); it was not modified`));
    expect(digest(file)).toBe(before);
  });

  it("the daemon refuses to start on a corrupt database: one line, exit 1", async () => {
    const dir = join(tmp(), "data");
    cpSync(packagePath("test", "fixtures", "storage-v0"), dir, { recursive: true });
    overwrite(join(dir, "alarms.db"), 0, 16);
    const r = await runCli(["run", "--data-dir", dir, "--port", "0"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^vitals-gateway run: ${join(dir, "alarms.db")}: database is corrupt \\(`, "m"));
    expect(readFileSync(join(dir, "alarms.db")).subarray(0, 16).every((b) => b === 0x5a)).toBe(true);
  }, 60_000);
});

function overwrite(file: string, at: number, length: number): void {
  const bytes = readFileSync(file);
  bytes.fill(0x5a, at, at + length);
  writeFileSync(file, bytes);
}
