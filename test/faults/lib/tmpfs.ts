/** A small tmpfs the suite mounts (root only) and fills, to play a full disk. */
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ownMount } from "./owned.js";

export const isRoot = (): boolean => process.getuid?.() === 0;

export function mountTmpfs(sizeMb: number): { dir: string; unmount: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "vg-faults-tmpfs-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeMb}m,mode=0700`, "tmpfs", dir]);
  return { dir, unmount: ownMount(dir) };
}

/** Writes zeros into `file` until the file system says ENOSPC; returns the bytes written. */
export function fillUp(file: string): number {
  const fd = openSync(file, "w");
  const chunk = Buffer.alloc(16 * 1024);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
  } finally {
    closeSync(fd);
  }
  // The last partial blocks: SQLite needs only a page to fail, but leave truly nothing.
  try {
    const fd2 = openSync(`${file}.tail`, "w");
    try {
      for (;;) written += writeSync(fd2, Buffer.alloc(512));
    } finally {
      closeSync(fd2);
    }
  } catch {
    // full
  }
  return written;
}

export function freeUp(file: string): void {
  rmSync(file, { force: true });
  rmSync(`${file}.tail`, { force: true });
}
