/**
 * What a child process cost, read from Linux's /proc: CPU time (utime + stime, in µs) and peak
 * resident memory (VmHWM). Only same-run ratios of these mean anything on a shared machine.
 */
import { readFileSync } from "node:fs";

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every Linux Node runs on. */
const TICKS_PER_SECOND = 100;

export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces; the fields we need follow its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / TICKS_PER_SECOND;
}

/** VmHWM (peak RSS) or VmRSS (current), in MiB. */
export function memoryMiB(pid: number, field: "VmHWM" | "VmRSS"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const line = status.split("\n").find((l) => l.startsWith(`${field}:`));
  if (!line) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(line.replace(/\D+/g, "")) / 1024;
}
