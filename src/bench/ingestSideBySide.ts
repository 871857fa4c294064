/**
 * Pipeline cost, side by side (issue 15): the same burst of QoS 1 readings through one real
 * mosquitto into (a) a plain mqtt.js + better-sqlite3 batcher and (b) the gateway (NEWS2 alerting
 * on, model off), each a child process measured from /proc in the same run. Every reading has a
 * unique device time, so loss and duplicates are counted from each store. Then the gateway alone
 * at 10, 1,000 and 5,000 patients: cost per reading, idle CPU per patient, memory per patient.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import type { Bench, BenchFigure } from "./bench.js";
import { startGatewayChild, startPlainBatcher, type Contender } from "./ingestContenders.js";
import { startBroker } from "./mosquittoProcess.js";
import { cpuMicros, memoryMiB } from "./procStat.js";

const BURST = Number(process.env["VG_BENCH_BURST"] ?? 200_000);
const SCALE_BURST = Number(process.env["VG_BENCH_SCALE_BURST"] ?? 50_000);
const DEVICES = 50;
const IDLE_MS = 10_000;

interface Run {
  readonly cpuPerReadingUs: number;
  readonly peakRssMiB: number;
  readonly rssMiB: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly idleUsPerSecond?: number;
}

export const ingestSideBySideBench: Bench = {
  name: `ingest side by side: ${BURST.toLocaleString("en")} QoS 1 readings, ${DEVICES} devices, real mosquitto → SQLite`,
  async run() {
    const plain = await measure((url, dir) => startPlainBatcher(url, dir), BURST, DEVICES);
    const gateway = await measure((url, dir) => startGatewayChild(url, dir, DEVICES), BURST, DEVICES);
    const scale = new Map<number, Run>();
    for (const patients of [10, 1000, 5000]) scale.set(patients, await measure((url, dir) => startGatewayChild(url, dir, patients), SCALE_BURST, patients, true));
    const at = (n: number): Run => scale.get(n) as Run;
    const perPatientKiB = ((at(5000).rssMiB - at(10).rssMiB) * 1024) / (5000 - 10);
    const vsPlain = (name: string, unit: string, pick: (r: Run) => number): BenchFigure => ({ name, value: pick(gateway), unit, baseline: { name: "plain batcher", value: pick(plain) } });
    return [
      vsPlain("gateway CPU per reading", "µs", (r) => r.cpuPerReadingUs),
      { name: "plain batcher CPU per reading", value: plain.cpuPerReadingUs, unit: "µs" },
      vsPlain("gateway peak RSS (VmHWM)", "MiB", (r) => r.peakRssMiB),
      { name: "plain batcher peak RSS (VmHWM)", value: plain.peakRssMiB, unit: "MiB" },
      { name: "gateway readings lost / duplicated", value: gateway.lost + gateway.duplicates, unit: `(${gateway.lost} lost, ${gateway.duplicates} dup)` },
      { name: "plain readings lost / duplicated", value: plain.lost + plain.duplicates, unit: `(${plain.lost} lost, ${plain.duplicates} dup)` },
      ...[10, 1000, 5000].map((n): BenchFigure => ({ name: `CPU per reading at ${n} patients`, value: at(n).cpuPerReadingUs, unit: "µs", baseline: { name: "at 10 patients", value: at(10).cpuPerReadingUs } })),
      ...[10, 1000, 5000].map((n): BenchFigure => ({ name: `idle CPU, whole gateway, ${n} patients`, value: at(n).idleUsPerSecond ?? 0, unit: "µs/s" })),
      // What each further patient costs when nothing arrives: the fixed cost of a running daemon cancels out.
      { name: "idle CPU per added patient (5,000 vs 10)", value: ((at(5000).idleUsPerSecond ?? 0) - (at(10).idleUsPerSecond ?? 0)) / (5000 - 10), unit: "µs/s" },
      { name: "memory per patient (5,000 vs 10, RSS)", value: perPatientKiB, unit: "KiB" },
    ];
  },
};

async function measure(start: (brokerUrl: string, dir: string) => Promise<Contender>, readings: number, devices: number, idle = false): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "vg-bench-side-"));
  const broker = await startBroker();
  try {
    const contender = await start(broker.url, dir);
    try {
      const before = cpuMicros(contender.pid);
      await publishBurst(broker.url, readings, devices);
      const counts = await untilStored(contender, readings);
      const cpu = cpuMicros(contender.pid) - before;
      const run: Run = {
        cpuPerReadingUs: cpu / readings,
        peakRssMiB: memoryMiB(contender.pid, "VmHWM"),
        rssMiB: memoryMiB(contender.pid, "VmRSS"),
        lost: readings - counts.distinct,
        duplicates: counts.stored - counts.distinct,
      };
      if (!idle) return run;
      const idleFrom = cpuMicros(contender.pid);
      await new Promise((r) => setTimeout(r, IDLE_MS));
      return { ...run, idleUsPerSecond: (cpuMicros(contender.pid) - idleFrom) / (IDLE_MS / 1000) };
    } finally {
      await contender.stop();
    }
  } finally {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** QoS 1, at most 1,000 unacknowledged at a time; resolves when the broker acknowledged them all. */
async function publishBurst(url: string, readings: number, devices: number): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: "bench-publisher" });
  const base = Date.now() - 10 * 60_000; // device times in the recent past, unique per reading
  try {
    for (let from = 0; from < readings; from += 1000) {
      const sends: Promise<unknown>[] = [];
      for (let i = from; i < Math.min(readings, from + 1000); i++) {
        const payload = JSON.stringify({ vital: "heart_rate", value: 60 + (i % 40), unit: "/min", time: base + i });
        sends.push(client.publishAsync(`vitals/d${i % devices}/json`, payload, { qos: 1 }));
      }
      await Promise.all(sends);
    }
  } finally {
    await client.endAsync();
  }
}

/** Polls the store until every reading is there, or nothing new arrived for 10 s. */
async function untilStored(contender: Contender, readings: number): Promise<{ stored: number; distinct: number }> {
  let last = -1;
  let still = 0;
  for (;;) {
    const counts = contender.counts();
    if (counts.distinct >= readings) return counts;
    still = counts.stored === last ? still + 1 : 0;
    if (still >= 100) return counts;
    last = counts.stored;
    await new Promise((r) => setTimeout(r, 100));
  }
}
