/**
 * One replay: the real gateway (startGateway: embedded broker, SQLite in a temporary data dir,
 * the whole pipeline) fed by the recording over MQTT, its alert events heard as a nurse console
 * hears them (WebSocket, with delivery receipts), wall times turned back into recorded times.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import WebSocket from "ws";
import type { GatewayConfig } from "../config/types.js";
import type { Track } from "../demo/recordings.js";
import type { Alert, InputReading } from "../core/model.js";
import type { Logger } from "../ports/logger.js";
import type { RecordedAlertEvent } from "./hourTable.js";
import { REPLAY_MONITOR, REPLAY_STRAP } from "./recording.js";
import { scaleTiming } from "./scaleTiming.js";

export const REPLAY_PATIENT = "replay";

/** The user's alerting, quality and model settings; everything about the site replaced by a sandbox. */
export function replayConfig(base: GatewayConfig, speed: number, dataDir: string): GatewayConfig {
  const rest: { -readonly [K in keyof GatewayConfig]: GatewayConfig[K] } = { ...base };
  delete rest.upstream; // a replay sends nothing to the site's upstream
  const mqttConfig = { ...base.mqtt, embeddedHost: "127.0.0.1", embeddedPort: 0, bridges: [] } as GatewayConfig["mqtt"] & { url?: string };
  delete mqttConfig.url;
  return scaleTiming(
    {
      ...rest,
      dataDir,
      http: { ...base.http, host: "127.0.0.1", port: 0 },
      mqtt: mqttConfig,
      patients: [{ id: REPLAY_PATIENT, label: "Replay (recording, not a patient)" }],
      devices: [
        { id: REPLAY_STRAP, patient: REPLAY_PATIENT },
        { id: REPLAY_MONITOR, patient: REPLAY_PATIENT },
      ],
      demo: { ...base.demo, enabled: false },
    },
    speed,
  );
}

type AlertFrame = { type: string; event?: string; alert?: Alert };

function recorded(alert: Alert, event: string, toRecorded: (wallMs: number) => number): RecordedAlertEvent {
  const input = (r: InputReading) => ({ vital: r.vital, value: r.value, unit: r.unit, deviceId: r.deviceId, recordedMs: toRecorded(r.time) });
  return {
    event,
    alertId: alert.id,
    patientId: alert.patientId,
    kind: alert.kind,
    priority: alert.priority,
    cause: alert.cause,
    state: alert.state,
    recordedMs: toRecorded(event === "raise" ? alert.raisedAt : (alert.updatedAt ?? alert.raisedAt)),
    inputs: alert.inputs.map(input),
  };
}

async function listen(url: string, token: string, onAlert: (alert: Alert, event: string) => void): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}ws`, { headers: { authorization: `Bearer ${token}` } });
  ws.on("message", (data) => {
    const m = JSON.parse((data as Buffer).toString("utf8")) as AlertFrame;
    if (m.type !== "alert" || !m.alert || !m.event) return;
    ws.send(JSON.stringify({ type: "received", alertId: m.alert.id })); // a console that shows what it gets
    onAlert(m.alert, m.event);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return ws;
}

/** Publishes the track once, in recorded order, `speed` recorded minutes per wall minute. */
async function play(url: string, prefix: string, track: Track, speed: number, startedAt: number): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: `vitals-replay-${process.pid}` });
  let next = 0;
  const endMs = (track.durationMinutes * 60_000) / speed;
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const elapsed = Date.now() - startedAt;
      for (let m = track.messages[next]; m && (m.atMinute * 60_000) / speed <= elapsed; m = track.messages[++next]) {
        client.publish(`${prefix}/${m.topic}`, m.payload, { qos: 1 });
      }
      if (elapsed >= endMs) {
        clearInterval(timer);
        done();
      }
    }, 20);
  });
  await client.endAsync();
}

export async function runReplay(base: GatewayConfig, track: Track, speed: number, log: Logger): Promise<RecordedAlertEvent[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "vitals-replay-"));
  try {
    const config = replayConfig(base, speed, dataDir);
    const { startGateway } = await import("../main.js"); // seconds of imports: only once the input is known good
    const gateway = await startGateway(config, { logger: log });
    const events: RecordedAlertEvent[] = [];
    let startedAt = Date.now();
    const toRecorded = (wallMs: number) => Math.round((wallMs - startedAt) * speed);
    try {
      const ws = await listen(gateway.url, gateway.tokens.createToken("nurse", "replay").token, (alert, event) => events.push(recorded(alert, event, toRecorded)));
      startedAt = Date.now();
      await play(gateway.mqttUrl, config.mqtt.topicPrefix, track, speed, startedAt);
      await new Promise((r) => setTimeout(r, 500)); // the last readings' alerts still on their way
      ws.close();
    } finally {
      await gateway.stop();
    }
    return events;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
