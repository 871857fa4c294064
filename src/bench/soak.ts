/**
 * Memory over time (issue 15): the demo (`vitals-gateway run`, its recordings replayed in a loop
 * at 300×: a steady load) as a child process, with consoles connected over WebSocket. RSS is read
 * from /proc and the V8 heap from the gateway's own /metrics every sample; the figures are both
 * at each checkpoint and the RSS slope between the first and the last checkpoint (least squares).
 * A daemon that runs for months on a Pi must be flat here: 60 min within 5 MiB of 10 min.
 *
 * Only with `--only soak` (it takes an hour by default). Environment:
 *   VG_SOAK_CHECKPOINTS  minutes, comma-separated (default "10,60"; e.g. "1,3" for a quick look)
 *   VG_SOAK_CONSOLES     WebSocket consoles connected for the whole run (default 3)
 *   VG_SOAK_LOGS=1       pass the gateway's log lines through (stderr)
 *   VG_SOAK_HEAPSNAPSHOTS=1  also write a V8 heap snapshot at each checkpoint into VG_SOAK_DIR
 *                        (default a temp folder, kept): compare them with scripts/heapDiff.mjs
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Bench, BenchFigure } from "./bench.js";
import { lineFrom } from "./ingestContenders.js";
import { memoryMiB } from "./procStat.js";
import { connectConsoles } from "./soakConsoles.js";
import { packagePath } from "../packageRoot.js";

const CHECKPOINTS_MIN = (process.env["VG_SOAK_CHECKPOINTS"] ?? "10,60").split(",").map(Number).sort((a, b) => a - b);
const CONSOLES = Number(process.env["VG_SOAK_CONSOLES"] ?? 3);
const SNAPSHOTS = process.env["VG_SOAK_HEAPSNAPSHOTS"] === "1";
const CLI = packagePath("bin", "vitals-gateway.js");

export interface Sample {
  readonly minute: number;
  readonly rssMiB: number;
  readonly heapMiB: number;
}

export const soakBench: Bench = {
  name: `soak: the demo replayed steadily with ${CONSOLES} consoles, RSS and heap at ${CHECKPOINTS_MIN.join(" and ")} min`,
  onlyWhenNamed: true,
  async run() {
    const dir = process.env["VG_SOAK_DIR"] ?? mkdtempSync(join(tmpdir(), "vg-bench-soak-"));
    const token = execFileSync(process.execPath, [CLI, "token", "create", "--role", "viewer", "--name", "soak", "--data-dir", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const flags = SNAPSHOTS ? ["--heapsnapshot-signal=SIGUSR2"] : [];
    const child = spawn(process.execPath, [...flags, CLI, "run", "--port", "0", "--data-dir", dir], { cwd: dir, stdio: ["ignore", "pipe", process.env["VG_SOAK_LOGS"] === "1" ? "inherit" : "ignore"] });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      const url = await lineFrom(child, (l) => l.startsWith("console: "));
      const baseUrl = url.slice("console: ".length).trim();
      const consoles = await connectConsoles(baseUrl, token, CONSOLES);
      const pid = child.pid ?? -1;
      const samples: Sample[] = [];
      const start = Date.now();
      const last = Math.max(...CHECKPOINTS_MIN);
      const every = Math.min(30_000, (Math.min(...CHECKPOINTS_MIN) * 60_000) / 10);
      const atCheckpoint: Sample[] = [];
      for (const checkpoint of CHECKPOINTS_MIN) {
        while (Date.now() - start < checkpoint * 60_000) {
          await new Promise((r) => setTimeout(r, Math.min(every, checkpoint * 60_000 - (Date.now() - start))));
          samples.push(await sample(pid, baseUrl, start));
        }
        atCheckpoint.push(samples[samples.length - 1] as Sample);
        if (SNAPSHOTS) child.kill("SIGUSR2");
      }
      const received = consoles.messages();
      await consoles.close();
      const first = atCheckpoint[0] as Sample;
      const window = samples.filter((s) => s.minute >= first.minute);
      // V8 frees old-space garbage only at a major GC, minutes apart: RSS is a sawtooth, and a leak
      // shows as a rising floor. So each checkpoint also reports the lowest RSS since the one before
      // (for the first, since half its time: start-up and warm-up are not a floor).
      const floor = (i: number): number => Math.min(...samples.filter((s) => s.minute > (i === 0 ? first.minute / 2 : (atCheckpoint[i - 1] as Sample).minute) && s.minute <= (atCheckpoint[i] as Sample).minute).map((s) => s.rssMiB));
      const figures: BenchFigure[] = atCheckpoint.flatMap((s, i): BenchFigure[] => [
        { name: `RSS at ${CHECKPOINTS_MIN[i]} min`, value: s.rssMiB, unit: "MiB", ...(i > 0 ? { baseline: { name: `at ${CHECKPOINTS_MIN[0]} min`, value: first.rssMiB } } : {}) },
        { name: `lowest RSS up to ${CHECKPOINTS_MIN[i]} min`, value: floor(i), unit: "MiB", ...(i > 0 ? { baseline: { name: `up to ${CHECKPOINTS_MIN[0]} min`, value: floor(0) } } : {}) },
        { name: `V8 heap used at ${CHECKPOINTS_MIN[i]} min`, value: s.heapMiB, unit: "MiB" },
      ]);
      figures.push(
        { name: `RSS growth, ${CHECKPOINTS_MIN[0]} → ${last} min`, value: (atCheckpoint[atCheckpoint.length - 1] as Sample).rssMiB - first.rssMiB, unit: "MiB" },
        { name: "RSS slope after the first checkpoint", value: slope(window, (s) => s.rssMiB), unit: "MiB/min" },
        { name: "heap slope after the first checkpoint", value: slope(window, (s) => s.heapMiB), unit: "MiB/min" },
        { name: "console messages received", value: received / ((Date.now() - start) / 1000), unit: "per s (all consoles)" },
      );
      if (SNAPSHOTS) process.stdout.write(`heap snapshots in ${dir}: ${readdirSync(dir).filter((f) => f.endsWith(".heapsnapshot")).join(", ")}\n`);
      return figures;
    } finally {
      child.kill("SIGTERM");
      await exited;
      if (!SNAPSHOTS && process.env["VG_SOAK_DIR"] === undefined) rmSync(dir, { recursive: true, force: true });
    }
  },
};

async function sample(pid: number, baseUrl: string, start: number): Promise<Sample> {
  const text = await (await fetch(`${baseUrl}metrics`)).text();
  const heap = Number(/^nodejs_heap_size_used_bytes (\S+)/m.exec(text)?.[1] ?? NaN);
  return { minute: (Date.now() - start) / 60_000, rssMiB: memoryMiB(pid, "VmRSS"), heapMiB: heap / 2 ** 20 };
}

/** Least-squares slope of `pick` per minute; 0 with fewer than two samples. */
export function slope(samples: readonly Sample[], pick: (s: Sample) => number): number {
  if (samples.length < 2) return 0;
  const mx = samples.reduce((a, s) => a + s.minute, 0) / samples.length;
  const my = samples.reduce((a, s) => a + pick(s), 0) / samples.length;
  const sxy = samples.reduce((a, s) => a + (s.minute - mx) * (pick(s) - my), 0);
  const sxx = samples.reduce((a, s) => a + (s.minute - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}
