/**
 * The built gateway as a child process (`node bin/vitals-gateway.js run --config …`), as systemd
 * would run it. Restart time is measured from spawn to the first 200 on /livez; its output is
 * counted (bytes, lines) for the log-volume figures, and only a bounded tail is kept.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { own } from "./owned.js";
import { sleep } from "./wait.js";

export interface GatewayChild {
  readonly pid: number;
  readonly url: string;
  /** spawn → first 200 on /livez, ms. */
  readonly livezMs: number;
  /** CPU time (user + system) the gateway spent until then, ms: far less at the mercy of a loaded machine than wall time. */
  readonly livezCpuMs: number | null;
  alive(): boolean;
  exitCode(): number | string | null;
  output(): { bytes: number; lines: number; tail: string };
  rssKb(): number | null;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export interface GatewaySpawn {
  readonly bin: string;
  readonly configFile: string;
  readonly httpPort: number;
  readonly readyTimeoutMs?: number;
}

export async function startGatewayChild(opts: GatewaySpawn): Promise<GatewayChild> {
  const started = performance.now();
  const child: ChildProcess = own(spawn(process.execPath, [opts.bin, "run", "--config", opts.configFile], { stdio: ["ignore", "pipe", "pipe"] }));
  let bytes = 0;
  let lines = 0;
  let tail = "";
  const count = (d: Buffer) => {
    bytes += d.length;
    for (const b of d) if (b === 10) lines++;
    tail = (tail + d.toString("utf8")).slice(-8000);
  };
  child.stdout?.on("data", count);
  child.stderr?.on("data", count);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const url = `http://127.0.0.1:${opts.httpPort}/`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  while (!(await livez(url, 1000))) {
    if (!alive() || Date.now() > deadline) {
      if (alive()) child.kill("SIGKILL");
      await exited;
      throw new Error(`gateway did not answer /livez (exit ${String(child.exitCode ?? child.signalCode)}):\n${tail}`);
    }
    await sleep(25);
  }
  const livezMs = performance.now() - started;
  const livezCpuMs = cpuMs(child.pid);
  const kill9 = async () => {
    if (alive()) child.kill("SIGKILL");
    await exited;
  };
  return {
    pid: child.pid ?? -1,
    url,
    livezMs,
    livezCpuMs,
    alive,
    exitCode: () => child.exitCode ?? child.signalCode,
    output: () => ({ bytes, lines, tail }),
    rssKb: () => rssKb(child.pid),
    kill9,
    async stop() {
      if (alive()) child.kill("SIGTERM");
      const done = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
      if (!done) await kill9();
    },
  };
}

/** true when /livez answers 200 within `timeoutMs`. */
export async function livez(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(`${url}livez`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms on Linux). */
function cpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function rssKb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
