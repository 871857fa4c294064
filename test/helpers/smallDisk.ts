/**
 * A real small file system for disk-full tests: an 8 MiB tmpfs (root, as here and in CI), filled
 * to ENOSPC by one file and freed by deleting it. Always `unmount()` in a finally.
 * Without root there is no way to fill a real disk safely; callers say what they test instead.
 */
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const isRoot = process.getuid?.() === 0;

export interface SmallDisk {
  readonly dir: string;
  /** Writes zeros until the file system refuses (ENOSPC). */
  fill(): void;
  /** Deletes the filler: space returns. */
  free(): void;
  unmount(): void;
}

export function smallDisk(sizeMiB = 8, prefix = "vg-tmpfs-"): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeMiB}m`, "tmpfs", dir]);
  const filler = join(dir, "filler");
  return {
    dir,
    fill: () => fill(filler),
    free: () => rmSync(filler, { force: true }),
    unmount: () => execFileSync("umount", [dir]),
  };
}

function fill(file: string): void {
  const fd = openSync(file, "a");
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
  } finally {
    closeSync(fd);
  }
  // The last few KiB too: a 64 KiB write fails when less than that is left.
  const small = openSync(file, "a");
  try {
    for (;;) writeSync(small, Buffer.alloc(512));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
  } finally {
    closeSync(small);
  }
}
