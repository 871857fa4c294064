/**
 * The data directory, made private (0700, also when it already existed) and held by one daemon.
 *
 * The lock is a SQLite `BEGIN EXCLUSIVE` on `gateway.lock`, kept open for the daemon's life. It is
 * an fcntl lock: the kernel drops it when the process dies, so a kill -9 or a power cut never
 * leaves a stale lock that blocks the restart (a pid file alone would, once the pid is reused).
 * `gateway.pid` only tells the second daemon whom to name.
 */
import { accessSync, chmodSync, closeSync, constants, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { StorageError } from "./storageError.js";

export interface DataDirLock {
  readonly dir: string;
  release(): void;
}

export function lockDataDir(dir: string): DataDirLock {
  makePrivateDir(dir);
  const file = join(dir, "gateway.lock");
  closeSync(openSync(file, "a", 0o600));
  const lock = new Database(file, { timeout: 0 }); // a held lock fails at once, no 5 s wait
  try {
    lock.pragma("journal_mode = DELETE"); // the exclusive lock is then held on the file itself
    lock.exec("BEGIN EXCLUSIVE");
  } catch (e) {
    lock.close();
    if ((e as { code?: string }).code !== "SQLITE_BUSY") throw e;
    throw new StorageError(`${dir}: data directory is in use by another vitals-gateway (pid ${holder(dir)}); stop it first, or give this one another --data-dir`);
  }
  writeFileSync(join(dir, "gateway.pid"), `${process.pid}\n`, { mode: 0o600 });
  return {
    dir,
    release() {
      if (!lock.open) return;
      lock.exec("ROLLBACK");
      lock.close();
    },
  };
}

/** Creates the directory 0700, or tightens an existing one we own; fails in one line if unusable. */
export function makePrivateDir(dir: string): void {
  const fix = `make it writable by uid ${process.getuid?.() ?? "?"} (e.g. chown), or choose another --data-dir / dataDir`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (statSync(dir).uid === process.getuid?.()) chmodSync(dir, 0o700);
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    throw new StorageError(`${dir}: data directory is not usable (${code}); ${fix}`);
  }
}

function holder(dir: string): string {
  try {
    return readFileSync(join(dir, "gateway.pid"), "utf8").trim() || "unknown";
  } catch {
    return "unknown";
  }
}
