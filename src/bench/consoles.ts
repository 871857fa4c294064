/**
 * 200 connected nurse consoles receiving updates for 1,000 patients (issue 10): messages delivered
 * per second and p99 latency (reading published over MQTT → reading message parsed on a console)
 * through the whole gateway, against a bare `ws` server broadcasting the same messages to 200
 * clients in the same run (the floor the hub builds on).
 */
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import WebSocket, { WebSocketServer } from "ws";
import { loadConfigText } from "../config/load.js";
import { startGateway } from "../main.js";
import type { Bench } from "./bench.js";

const CONSOLES = 200;
const PATIENTS = 1000;
const READINGS_PER_SECOND = 500;
const SECONDS = 5;

interface Tally {
  delivered: number;
  latencies: number[];
}

/** A console that counts reading messages and how old each was on arrival (`time` is the send time). */
function countingClient(url: string, headers: Record<string, string>, tally: Tally): Promise<WebSocket> {
  const ws = new WebSocket(url, { headers });
  ws.on("message", (data: Buffer) => {
    const m = JSON.parse(data.toString("utf8")) as { type: string; reading?: { time: number } };
    if (m.type !== "reading" || !m.reading) return;
    tally.delivered++;
    tally.latencies.push(Date.now() - m.reading.time);
  });
  return new Promise((resolve, reject) => ws.once("open", () => resolve(ws)).once("error", reject));
}

/** Sends READINGS_PER_SECOND for SECONDS in 10 ms ticks; returns when done. */
async function drive(send: (i: number) => void): Promise<number> {
  const perTick = READINGS_PER_SECOND / 100;
  let i = 0;
  const start = Date.now();
  while (Date.now() - start < SECONDS * 1000) {
    for (let k = 0; k < perTick; k++) send(i++);
    await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise((r) => setTimeout(r, 1500)); // let the tail arrive
  return Date.now() - start;
}

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(0.99 * (xs.length - 1))] ?? Number.NaN;
const readingJson = (i: number) => ({ vital: "heart_rate", value: 60 + (i % 40), unit: "/min", time: Date.now() });

export const consolesBench: Bench = {
  name: `${CONSOLES} consoles × ${PATIENTS.toLocaleString("en")} patients, ${READINGS_PER_SECOND} readings/s for ${SECONDS} s`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "vg-bench-consoles-"));
    const patients = Array.from({ length: PATIENTS }, (_, i) => `{id: p${i}, label: P${i}}`).join(", ");
    const devices = Array.from({ length: PATIENTS }, (_, i) => `{id: d${i}, patient: p${i}}`).join(", ");
    const loaded = loadConfigText(`http: {port: 0}\nmqtt: {embeddedPort: 0}\nlogging: {level: error}\nanomaly: {enabled: false}\npatients: [${patients}]\ndevices: [${devices}]\n`, dir);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));

    // The gateway: MQTT in, pipeline, hub out to 200 consoles.
    const gateway = await startGateway(loaded.config);
    const token = gateway.tokens.createToken("viewer", "bench").token;
    const hubTally: Tally = { delivered: 0, latencies: [] };
    const consoles = await Promise.all(Array.from({ length: CONSOLES }, () => countingClient(`${gateway.url.replace(/^http/, "ws")}ws`, { authorization: `Bearer ${token}` }, hubTally)));
    const load = await mqtt.connectAsync(gateway.mqttUrl, { protocolVersion: 4 });
    const hubMs = await drive((i) => void load.publish(`vitals/d${i % PATIENTS}/json`, JSON.stringify(readingJson(i)), { qos: 0 }));
    consoles.forEach((c) => c.close());
    await load.endAsync();
    await gateway.stop();

    // The floor: a bare ws server broadcasting the same reading messages to 200 clients.
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
    const bareTally: Tally = { delivered: 0, latencies: [] };
    const bare = await Promise.all(Array.from({ length: CONSOLES }, () => countingClient(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, {}, bareTally)));
    const bareMs = await drive((i) => {
      const text = JSON.stringify({ type: "reading", reading: { patientId: `p${i % PATIENTS}`, deviceId: `d${i % PATIENTS}`, ...readingJson(i), receivedAt: Date.now(), quality: ["device_time"] } });
      for (const ws of wss.clients) ws.send(text);
    });
    bare.forEach((c) => c.close());
    await new Promise<void>((resolve) => wss.close(() => resolve()));

    const expected = READINGS_PER_SECOND * SECONDS * CONSOLES;
    return [
      { name: "messages delivered / s (gateway hub)", value: (hubTally.delivered * 1000) / hubMs, unit: "msg/s", baseline: { name: "bare ws broadcast", value: (bareTally.delivered * 1000) / bareMs } },
      { name: "p99 reading → console (gateway: MQTT, pipeline, hub)", value: p99(hubTally.latencies), unit: "ms", baseline: { name: "bare ws broadcast", value: p99(bareTally.latencies) } },
      { name: "readings delivered / sent × consoles (gateway hub)", value: hubTally.delivered / expected, unit: "ratio", baseline: { name: "bare ws broadcast", value: bareTally.delivered / expected } },
    ];
  },
};
