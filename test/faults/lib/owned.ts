/**
 * Everything the suite starts (child processes, tmpfs mounts) is registered here, so it can be
 * undone on every way out: normal end, a failed check, an exception, Ctrl-C. Nothing else is
 * ever killed or unmounted: only these pids and these mount points.
 */
import { execFileSync, type ChildProcess } from "node:child_process";

const children = new Set<ChildProcess>();
const mounts = new Set<string>();
const cleanups = new Set<() => Promise<void> | void>();

export function own(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

export function ownMount(dir: string): () => void {
  mounts.add(dir);
  return () => {
    if (!mounts.delete(dir)) return;
    execFileSync("umount", [dir]);
  };
}

/** An async stop (a broker, a fake BlueZ) that must run even when a scenario throws. */
export function onCleanup(step: () => Promise<void> | void): () => Promise<void> {
  cleanups.add(step);
  return async () => {
    if (cleanups.delete(step)) await step();
  };
}

export async function releaseAll(): Promise<void> {
  for (const step of [...cleanups].reverse()) {
    cleanups.delete(step);
    await Promise.resolve(step()).catch(() => undefined);
  }
  killOwnedNow();
}

/** Synchronous: safe inside process.on("exit"). SIGKILL by pid, then lazy unmounts. */
export function killOwnedNow(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
  for (const dir of mounts) {
    try {
      execFileSync("umount", ["-l", dir]);
    } catch {
      // already gone
    }
  }
  mounts.clear();
}

let installed = false;
/** For the command line: kill what we own when the process ends or is interrupted. */
export function killOwnedOnExit(): void {
  if (installed) return;
  installed = true;
  process.once("exit", killOwnedNow);
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      killOwnedNow();
      process.exit(130);
    });
}
