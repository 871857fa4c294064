/**
 * The baseline of the side-by-side ingest bench: what a competent 40-line script does with the same
 * readings — mqtt.js (QoS 1, persistent session) into better-sqlite3, one transaction per 250 ms
 * or 1,000 rows. No decoding beyond JSON.parse, no rules, no console.
 * Run as a child: node plainBatcher.js <mqttUrl> <dbFile>; prints "ready" once subscribed.
 */
import Database from "better-sqlite3";
import mqtt from "mqtt";

const [url, file] = process.argv.slice(2);
if (!url || !file) throw new Error("usage: plainBatcher <mqttUrl> <dbFile>");

const db = new Database(file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec("CREATE TABLE readings (device_id TEXT NOT NULL, vital TEXT NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL, time INTEGER NOT NULL)");
const insert = db.prepare("INSERT INTO readings (device_id, vital, value, unit, time) VALUES (?, ?, ?, ?, ?)");
const insertAll = db.transaction((rows: readonly (readonly [string, string, number, string, number])[]) => {
  for (const row of rows) insert.run(...row);
});

let pending: [string, string, number, string, number][] = [];
const flush = (): void => {
  if (pending.length === 0) return;
  insertAll(pending);
  pending = [];
};
setInterval(flush, 250);

const client = mqtt.connect(url, { clientId: "plain-batcher", clean: false, protocolVersion: 4 });
client.on("message", (topic, payload) => {
  const deviceId = topic.split("/")[1] ?? "";
  const r = JSON.parse(payload.toString()) as { vital: string; value: number; unit: string; time: number };
  pending.push([deviceId, r.vital, r.value, r.unit, r.time]);
  if (pending.length >= 1000) flush();
});
client.on("connect", () => {
  client.subscribe("vitals/+/json", { qos: 1 }, () => process.stdout.write("ready\n"));
});
process.on("SIGTERM", () => {
  flush();
  db.close();
  process.exit(0);
});
