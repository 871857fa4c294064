/**
 * Latency from the reading that crosses a threshold to the alert on a WebSocket client, with
 * 1,000 patients × 6 vitals streaming, against the broker's own delivery latency of the same
 * probe messages to a plain MQTT subscriber in the same run (the floor the gateway builds on).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import mqtt from "mqtt";
import WebSocket from "ws";
import { loadConfigText } from "../config/load.js";
import { startGateway } from "../main.js";
import type { Bench } from "./bench.js";

const PATIENTS = 1000;
const LOAD_INTERVAL_MS = 2; // one patient's 6 vitals every 2 ms → every patient every 2 s, 3,000 readings/s
const PROBES = 60;
const PROBE_INTERVAL_MS = 50;

const normalVitals = (i: number) =>
  JSON.stringify([
    { vital: "heart_rate", value: 70 + (i % 10), unit: "/min" },
    { vital: "respiratory_rate", value: 16, unit: "/min" },
    { vital: "spo2", value: 97, unit: "%" },
    { vital: "systolic_bp", value: 120, unit: "mm[Hg]" },
    { vital: "body_temperature", value: 37, unit: "Cel" },
    { vital: "pulse_rate", value: 70, unit: "/min" },
  ]);

export const alertLatencyBench: Bench = {
  name: `alert latency: ${PATIENTS.toLocaleString("en")} patients × 6 vitals streaming, threshold crossing → WebSocket`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "vg-bench-lat-"));
    const patients = Array.from({ length: PATIENTS }, (_, i) => `{id: p${i}, label: P${i}}`).join(", ");
    const devices = Array.from({ length: PATIENTS }, (_, i) => `{id: d${i}, patient: p${i}}`).join(", ");
    const loaded = loadConfigText(`http: {port: 0}\nmqtt: {embeddedPort: 0}\nlogging: {level: error}\npatients: [${patients}]\ndevices: [${devices}]\n`, dir);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const gateway = await startGateway(loaded.config);
    const load = await mqtt.connectAsync(gateway.mqttUrl, { protocolVersion: 4 });
    const watcher = await mqtt.connectAsync(gateway.mqttUrl, { protocolVersion: 4 });
    const ws = new WebSocket(`${gateway.url.replace(/^http/, "ws")}ws`, { headers: { authorization: `Bearer ${gateway.tokens.createToken("nurse", "bench").token}` } });
    const sentAt = new Map<string, number>();
    const toAlert: number[] = [];
    const toSubscriber: number[] = [];
    ws.on("message", (data: Buffer) => {
      const msg = JSON.parse(data.toString("utf8")) as { type: string; alert?: { patientId: string; state: string } };
      const t0 = msg.type === "alert" && msg.alert?.state === "active" ? sentAt.get(msg.alert.patientId) : undefined;
      if (t0 !== undefined) toAlert.push(performance.now() - t0);
    });
    await watcher.subscribeAsync("probe/+/json", { qos: 0 });
    watcher.on("message", (topic) => {
      const t0 = sentAt.get(topic.split("/")[1] ?? "");
      if (t0 !== undefined) toSubscriber.push(performance.now() - t0);
    });
    await new Promise<void>((resolve, reject) => ws.once("open", () => resolve()).once("error", reject));
    try {
      let i = 0;
      const loadStarted = performance.now();
      const loadTimer = setInterval(() => void load.publish(`vitals/d${i % PATIENTS}/json`, normalVitals(i++), { qos: 0 }), LOAD_INTERVAL_MS);
      await sleep(2000); // warm up: every patient has streamed once
      for (let k = 0; k < PROBES; k++) {
        const patient = (k * 16 + 7) % PATIENTS;
        const probe = JSON.stringify({ vital: "heart_rate", value: 150, unit: "/min" });
        sentAt.set(`p${patient}`, performance.now());
        load.publish(`vitals/d${patient}/json`, probe, { qos: 0 });
        watcher.publish(`probe/p${patient}/json`, probe, { qos: 0 });
        await sleep(PROBE_INTERVAL_MS);
      }
      await sleep(1500);
      clearInterval(loadTimer);
      const readingsPerSecond = (i * 6 * 1000) / (performance.now() - loadStarted);
      const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? Number.NaN;
      return [
        { name: "p50 reading → alert on WebSocket", value: p(toAlert, 0.5), unit: "ms", baseline: { name: "p50 broker → plain subscriber", value: p(toSubscriber, 0.5) } },
        { name: "p99 reading → alert on WebSocket", value: p(toAlert, 0.99), unit: "ms", baseline: { name: "p99 broker → plain subscriber", value: p(toSubscriber, 0.99) } },
        { name: "alerts received / probes", value: toAlert.length, unit: `of ${PROBES}` },
        { name: "background load actually streamed", value: readingsPerSecond, unit: "readings/s" },
      ];
    } finally {
      ws.close();
      await load.endAsync();
      await watcher.endAsync();
      await gateway.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
