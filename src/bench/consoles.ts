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
/** A ward's pace (every patient every 10 s: 20,000 messages/s to 200 consoles), for latency. */
const STEADY_PER_SECOND = 100;
/** Past what this machine can deliver, for throughput: 100,000 messages/s asked for. */
const FLOOD_PER_SECOND = 500;
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

/** Sends `perSecond` for SECONDS in 10 ms ticks; returns the elapsed ms. */
async function drive(perSecond: number, send: (i: number) => void): Promise<number> {
  const perTick = perSecond / 100;
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
  name: `consoles: ${CONSOLES} consoles × ${PATIENTS.toLocaleString("en")} patients, ${STEADY_PER_SECOND} then ${FLOOD_PER_SECOND} readings/s for ${SECONDS} s each`,
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
    const publish = (i: number) => void load.publish(`vitals/d${i % PATIENTS}/json`, JSON.stringify(readingJson(i)), { qos: 0 });
    const hubSteadyMs = await drive(STEADY_PER_SECOND, publish);
    const hubSteady = { ...hubTally, latencies: [...hubTally.latencies] };
    Object.assign(hubTally, { delivered: 0, latencies: [] });
    const hubMs = await drive(FLOOD_PER_SECOND, publish);
    consoles.forEach((c) => c.close());
    await load.endAsync();
    await gateway.stop();

    // The floor: a bare ws server broadcasting the same reading messages to 200 clients.
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
    const bareTally: Tally = { delivered: 0, latencies: [] };
    const bare = await Promise.all(Array.from({ length: CONSOLES }, () => countingClient(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, {}, bareTally)));
    const broadcast = (i: number) => {
      const text = JSON.stringify({ type: "reading", reading: { patientId: `p${i % PATIENTS}`, deviceId: `d${i % PATIENTS}`, ...readingJson(i), receivedAt: Date.now(), quality: ["device_time"] } });
      for (const ws of wss.clients) ws.send(text);
    };
    const bareSteadyMs = await drive(STEADY_PER_SECOND, broadcast);
    const bareSteady = { ...bareTally, latencies: [...bareTally.latencies] };
    Object.assign(bareTally, { delivered: 0, latencies: [] });
    const bareMs = await drive(FLOOD_PER_SECOND, broadcast);
    bare.forEach((c) => c.close());
    await new Promise<void>((resolve) => wss.close(() => resolve()));

    const steady = STEADY_PER_SECOND * SECONDS * CONSOLES;
    return [
      { name: `steady ${STEADY_PER_SECOND}/s: delivered / asked`, value: hubSteady.delivered / steady, unit: "ratio", baseline: { name: "bare ws broadcast", value: bareSteady.delivered / steady } },
      { name: `steady ${STEADY_PER_SECOND}/s: messages / s`, value: (hubSteady.delivered * 1000) / hubSteadyMs, unit: "msg/s", baseline: { name: "bare ws broadcast", value: (bareSteady.delivered * 1000) / bareSteadyMs } },
      { name: `steady ${STEADY_PER_SECOND}/s: p99 reading → console`, value: p99(hubSteady.latencies), unit: "ms", baseline: { name: "bare ws broadcast", value: p99(bareSteady.latencies) } },
      { name: `flood ${FLOOD_PER_SECOND}/s: messages / s`, value: (hubTally.delivered * 1000) / hubMs, unit: "msg/s", baseline: { name: "bare ws broadcast", value: (bareTally.delivered * 1000) / bareMs } },
      { name: `flood ${FLOOD_PER_SECOND}/s: p99 reading → console`, value: p99(hubTally.latencies), unit: "ms", baseline: { name: "bare ws broadcast", value: p99(bareTally.latencies) } },
    ];
  },
};
