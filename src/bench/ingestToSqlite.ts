/**
 * End-to-end ingest: MQTT frame → broker → decode → patient → batched SQLite row, against the
 * raw better-sqlite3 batched insert of the same rows measured in the same run (the ceiling).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import mqtt from "mqtt";
import { loadConfigText } from "../config/load.js";
import { heartRateFrame } from "../demo/recordings.js";
import { startGateway } from "../main.js";
import type { Bench } from "./bench.js";

const DEVICES = 50;
const FRAMES = 20_000;

export const ingestToSqliteBench: Bench = {
  name: `ingest via the embedded aedes broker at QoS 0: ${FRAMES.toLocaleString("en")} HR frames from ${DEVICES} devices → SQLite`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "vg-bench-"));
    try {
      const e2e = await endToEnd(dir);
      const raw = rawInserts(join(dir, "raw.db"));
      return [
        { name: "end-to-end readings/s", value: e2e, unit: "readings/s", baseline: { name: "raw better-sqlite3 batched inserts", value: raw } },
        { name: "raw better-sqlite3 batched inserts", value: raw, unit: "rows/s" },
        { name: "RSS after the run", value: process.memoryUsage().rss / 2 ** 20, unit: "MiB" },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

async function endToEnd(dir: string): Promise<number> {
  const devices = Array.from({ length: DEVICES }, (_, i) => `{id: d${i}, patient: p${i}}`).join(", ");
  const patients = Array.from({ length: DEVICES }, (_, i) => `{id: p${i}, label: P${i}}`).join(", ");
  const loaded = loadConfigText(`http: {port: 0}\nmqtt: {embeddedPort: 0}\nlogging: {level: error}\npatients: [${patients}]\ndevices: [${devices}]\n`, dir);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const gateway = await startGateway(loaded.config);
  const client = await mqtt.connectAsync(gateway.mqttUrl, { protocolVersion: 4 });
  try {
    const started = process.hrtime.bigint();
    for (let i = 0; i < FRAMES; i++) client.publish(`vitals/d${i % DEVICES}/gatt/2a37`, heartRateFrame(60 + (i % 40)), { qos: 0 });
    while (((await gateway.metrics.readingsStored.get()).values[0]?.value ?? 0) < FRAMES) await new Promise((r) => setTimeout(r, 5));
    return FRAMES / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    await client.endAsync();
    await gateway.stop();
  }
}

function rawInserts(file: string): number {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec("CREATE TABLE readings (id INTEGER PRIMARY KEY, patient_id TEXT, device_id TEXT, vital TEXT, value REAL, unit TEXT, precision INTEGER, time INTEGER, received_at INTEGER, quality TEXT)");
  const insert = db.prepare("INSERT INTO readings (patient_id, device_id, vital, value, unit, precision, time, received_at, quality) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insert.run(`p${i % DEVICES}`, `d${i % DEVICES}`, "heart_rate", 60 + (i % 40), "/min", null, 1_764_000_000_000 + i, 1_764_000_000_000 + i, "receipt_time");
  });
  const started = process.hrtime.bigint();
  for (let i = 0; i < FRAMES; i += 1000) batch(i, Math.min(FRAMES, i + 1000)); // the gateway's default batchMax
  const rate = FRAMES / (Number(process.hrtime.bigint() - started) / 1e9);
  db.close();
  return rate;
}
