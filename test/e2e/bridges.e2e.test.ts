/**
 * Issue 14, end to end through a real mosquitto: Theengs Gateway and OpenMQTTGateway messages (the
 * shapes in test/fixtures/bridges) become stored readings of the assigned patient, once each even
 * when two bridges hear the same advert; bad bridge messages are refused and counted while ingest
 * carries on; `devices seen` lists a sensor heard through a bridge that no patient is assigned.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Gateway } from "../../src/main.js";
import { runCli } from "../helpers/cli.js";
import { eventually, metricValue, ofType, publisher, testGateway, TEST_CONFIG, WsClient } from "../helpers/gateway.js";
import { startMosquitto, type Mosquitto } from "../helpers/mosquitto.js";
import * as m from "../fixtures/bridges/messages.js";

let broker: Mosquitto;
let gateway: Gateway;
let dataDir: string;

const H10 = "a09e1a750873";
const SCALE = "5ccad3000001";
const STRANGER = "c0ffee001122"; // a second H10 nobody assigned

beforeAll(async () => {
  broker = await startMosquitto();
  const yaml = TEST_CONFIG.replace("mqtt: { embeddedPort: 0 }", `mqtt: { url: "${broker.url}", bridges: ["home/+/BTtoMQTT/+"] }`).replace(
    "devices: [",
    `devices: [{ id: ${H10}, patient: p1 }, { id: ${SCALE}, patient: p2 }, `,
  );
  ({ gateway, dir: dataDir } = await testGateway(yaml));
});

afterAll(async () => {
  await gateway?.stop();
  await broker?.stop();
});

const stored = (vital: string) => {
  const db = new Database(join(dataDir, "readings.db"), { readonly: true });
  try {
    return db.prepare("SELECT patient_id AS patient, device_id AS device, value, unit FROM readings WHERE vital = ? ORDER BY id").all(vital);
  } finally {
    db.close();
  }
};

it("stores a Polar H10 and a Xiaomi scale heard by Theengs Gateway and OpenMQTTGateway once each, for their patients", async () => {
  const ws = await WsClient.connect(gateway.url, { authorization: `Bearer ${gateway.tokens.createToken("nurse", "n").token}` });
  const theengs = await publisher(broker.url);
  const omg = await publisher(broker.url);
  const sent = [
    [theengs, `home/TheengsGateway/BTtoMQTT/${H10.toUpperCase()}`, m.theengsH10],
    [omg, `home/OMG_ESP32/BTtoMQTT/${H10.toUpperCase()}`, m.omgH10], //            the same advert, a second bridge
    [theengs, `home/TheengsGateway/BTtoMQTT/${SCALE.toUpperCase()}`, m.theengsScale],
    [omg, "home/OMG_ESP32/BTtoMQTT/undecoded", m.omgUndecodedScale], //             the same weighing, raw
    [omg, "home/OMG_ESP32/BTtoMQTT/undecoded", "{not json"], //                     refused, counted
    [theengs, `home/TheengsGateway/BTtoMQTT/${H10.toUpperCase()}`, { ...m.theengsH10, rssi: "strong" }], // refused: rssi
    [theengs, `home/TheengsGateway/BTtoMQTT/${STRANGER.toUpperCase()}`, { ...m.theengsH10, id: "C0:FF:EE:00:11:22", rssi: -77 }],
  ] as const;
  for (const [client, topic, body] of sent) await client.publishAsync(topic, typeof body === "string" ? body : JSON.stringify(body), { qos: 1 });

  expect((await ws.next(ofType("reading", (r) => r.reading.deviceId === H10))).reading).toMatchObject({ patientId: "p1", vital: "heart_rate", value: 70 });
  await eventually(async () => expect(await metricValue(gateway, "vg_frames_received_total", { source: "mqtt:bridge" })).toBe(sent.length));
  await eventually(async () => {
    expect(await metricValue(gateway, "vg_rejected_total", { code: "decode_malformed", stage: "decode" })).toBe(2);
    expect(await metricValue(gateway, "vg_rejected_total", { code: "unknown_device", stage: "attribute" })).toBe(1); // the stranger
  });
  await gateway.stop(); // flushes the last batch: every decision about these frames is on disk
  expect(stored("heart_rate")).toEqual([{ patient: "p1", device: H10, value: 70, unit: "/min" }]);
  expect(stored("body_weight")).toEqual([{ patient: "p2", device: SCALE, value: 61.75, unit: "kg" }]);
  await Promise.all([theengs.endAsync(), omg.endAsync()]);
  ws.close();
});

it("devices seen lists the unassigned strap heard through Theengs Gateway, and no assigned device", async () => {
  const r = await runCli(["devices", "seen", "--data-dir", dataDir]);
  expect(r.code).toBe(0);
  const lines = r.stdout.trim().split("\n");
  expect(lines[0]).toMatch(/^ADDRESS\s+DEVICE ID\s+DRIVER\s+LAST VALUE KIND\s+RSSI\s+VIA\s+LAST HEARD$/);
  expect(lines.slice(1)).toHaveLength(1);
  expect(lines[1]).toMatch(new RegExp(`^C0:FF:EE:00:11:22\\s+${STRANGER}\\s+polar\\.h10\\s+heart_rate\\s+-77\\s+home/TheengsGateway/BTtoMQTT\\s+\\d{4}-`));
});
