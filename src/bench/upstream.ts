/**
 * Upstream link throughput: rows from upstream.db → QoS 1 → a real mosquitto (PUBACK = done), one
 * message per reading and batched, against a bare mqtt.js QoS 1 publish loop with the same
 * in-flight window and payload size measured in the same run (the ceiling). Needs the Debian
 * mosquitto binary (MOSQUITTO or /usr/sbin/mosquitto); without it the bench reports nothing.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { firstValueFrom, filter } from "rxjs";
import { startUpstream } from "../adapters/upstream/upstream.js";
import { readingItem, topicsOf } from "../adapters/upstream/payloads.js";
import type { Reading } from "../core/model.js";
import type { Logger } from "../ports/logger.js";
import type { Bench, BenchFigure } from "./bench.js";

const N = 10_000;
const WINDOW = 10;
const MOSQUITTO = process.env["MOSQUITTO"] ?? "/usr/sbin/mosquitto";
const silent: Logger = { log: () => undefined, child: () => silent };
const clock = { now: () => Date.now(), monotonic: () => performance.now() };

const reading = (i: number): Reading => ({
  patientId: `p${i % 5}`, deviceId: `d${i % 5}`, vital: "heart_rate", value: 60 + (i % 40), unit: "/min", time: 1_764_000_000_000 + i, receivedAt: 1_764_000_000_000 + i, quality: ["receipt_time"],
});

export const upstreamBench: Bench = {
  name: `upstream: ${N.toLocaleString("en")} readings, upstream.db → QoS 1 → mosquitto (window ${WINDOW})`,
  async run() {
    if (!existsSync(MOSQUITTO)) return [];
    const dir = mkdtempSync(join(tmpdir(), "vg-bench-up-"));
    const broker = await startBroker(dir);
    try {
      const raw = await rawLoop(broker.url);
      const single = await throughOutbox(broker.url, join(dir, "one"), 1);
      const batched = await throughOutbox(broker.url, join(dir, "batched"), 500);
      const figures: BenchFigure[] = [
        { name: "bare mqtt.js QoS 1 publishes", value: raw, unit: "msg/s" },
        { name: "outbox → broker, 1 reading per message", value: single, unit: "msg/s", baseline: { name: "bare mqtt.js QoS 1 publishes", value: raw } },
        { name: "outbox → broker, 500 readings per message", value: batched, unit: "readings/s", baseline: { name: "bare mqtt.js QoS 1 publishes", value: raw } },
      ];
      return figures;
    } finally {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

async function rawLoop(url: string): Promise<number> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5 });
  const payload = readingItem(reading(0), topicsOf("bench")).body;
  try {
    const started = process.hrtime.bigint();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < N) {
        next++;
        await client.publishAsync("bench/raw", payload, { qos: 1 });
      }
    };
    await Promise.all(Array.from({ length: WINDOW }, worker));
    return N / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    await client.endAsync();
  }
}

async function throughOutbox(url: string, dataDir: string, batchSize: number): Promise<number> {
  const up = startUpstream({ url, gatewayId: `bench-${batchSize}`, batchSize, maxInFlight: WINDOW }, dataDir, { clock, log: silent });
  try {
    await firstValueFrom(up.link$.pipe(filter((s) => s.state === "up")));
    const started = process.hrtime.bigint();
    for (let i = 0; i < N; i += 1000) up.enqueueReadings(Array.from({ length: 1000 }, (_, k) => reading(i + k)));
    while (up.stats().readings > 0) await new Promise((r) => setTimeout(r, 2));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return N / seconds; // readings/s (= messages/s with one reading per message)
  } finally {
    await up.stop();
  }
}

async function startBroker(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\n`);
  const child: ChildProcess = spawn(MOSQUITTO, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let log = "";
    child.stderr?.on("data", (d: Buffer) => {
      log += d.toString();
      if (/mosquitto version .* running/.test(log)) resolve();
    });
    child.once("exit", (code) => reject(new Error(`mosquitto exited ${code}: ${log}`)));
  });
  await new Promise((r) => setTimeout(r, 100)); // past the start-up instant where a SIGTERM can be lost
  return {
    url: `mqtt://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
