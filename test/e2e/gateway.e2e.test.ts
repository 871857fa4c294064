/**
 * The walking skeleton end to end: a frame published over MQTT reaches an authenticated
 * WebSocket client as a reading and an alert, is stored in SQLite, and bad input anywhere is
 * refused, counted and survived.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gateway } from "../../src/main.js";
import { eventually, metricValue, ofType, publisher, testGateway, WsClient } from "../helpers/gateway.js";

let gateway: Gateway;
let dir: string;
let logs: string[];
let mqtt: MqttClient;
let nurse: WsClient;
let token: string;

beforeAll(async () => {
  ({ gateway, dir, logs } = await testGateway());
  mqtt = await publisher(gateway.mqttUrl);
  token = gateway.tokens.createToken("nurse", "nurse-e2e").token;
  nurse = await WsClient.connect(gateway.url, { authorization: `Bearer ${token}` });
});

afterAll(async () => {
  nurse?.close();
  await mqtt?.endAsync();
  await gateway?.stop();
});

describe("walking skeleton", () => {
  it("greets an authenticated client with who it is and a snapshot of the patients", async () => {
    expect(await nurse.next(ofType("hello"))).toEqual({ type: "hello", user: "nurse-e2e", role: "nurse" });
    const snapshot = await nurse.next(ofType("snapshot"));
    expect(snapshot.patients.map((p) => p.label)).toEqual(["Bed 1", "Bed 2"]);
  });

  it("turns a GATT heart-rate frame into a reading and an alert, stored in SQLite", async () => {
    await mqtt.publishAsync("vitals/strap1/gatt/2a37", Buffer.from([0x00, 140]), { qos: 1 }); // GATT 0x2A37: flags 0, HR uint8 = 140
    const reading = await nurse.next(ofType("reading", (m) => m.reading.vital === "heart_rate"));
    expect(reading.reading).toMatchObject({ patientId: "p1", deviceId: "strap1", value: 140, unit: "/min" });
    const alert = await nurse.next(ofType("alert", (m) => m.alert.cause === "threshold:heart_rate:high"));
    expect(alert.alert).toMatchObject({ patientId: "p1", cause: "threshold:heart_rate:high", kind: "physiological", priority: "high", state: "active" });
    expect(alert.alert.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/); // UUIDv7

    const alarms = new Database(join(dir, "alarms.db"), { readonly: true });
    expect(alarms.prepare("SELECT state FROM alerts WHERE id = ?").get(alert.alert.id)).toEqual({ state: "active" });
    expect(alarms.pragma("journal_mode", { simple: true })).toBe("wal");
    alarms.close();
    await eventually(() => {
      const db = new Database(join(dir, "readings.db"), { readonly: true });
      try {
        expect(db.prepare("SELECT patient_id, vital, value FROM readings WHERE device_id = 'strap1'").all()).toEqual([{ patient_id: "p1", vital: "heart_rate", value: 140 }]);
      } finally {
        db.close();
      }
    });

    // The console confirms delivery, a nurse acknowledges; the condition still holds, so it stays open.
    nurse.send({ type: "received", alertId: alert.alert.id });
    nurse.send({ type: "ack", alertId: alert.alert.id });
    expect((await nurse.next(ofType("alert", (m) => m.alert.id === alert.alert.id))).alert.state).toBe("acknowledged");

    // Back in range: the acknowledged alert resolves. 140 → 80 is a jump the quality gate believes
    // only once 3 readings agree (a single one could be an artifact).
    for (let i = 0; i < 3; i++) await mqtt.publishAsync("vitals/strap1/gatt/2a37", Buffer.from([0x00, 80]), { qos: 1 });
    expect((await nurse.next(ofType("alert", (m) => m.alert.id === alert.alert.id && m.alert.state === "resolved"))).alert.state).toBe("resolved");
  });

  it("takes JSON readings on <prefix>/<device>/json", async () => {
    await mqtt.publishAsync("vitals/mon1/json", JSON.stringify([{ vital: "spo2", value: 88, unit: "%" }, { vital: "respiratory_rate", value: 18, unit: "/min" }]), { qos: 1 });
    expect((await nurse.next(ofType("alert", (m) => m.alert.cause === "threshold:spo2:low"))).alert.inputs).toEqual([
      expect.objectContaining({ vital: "spo2", value: 88, unit: "%", deviceId: "mon1" }),
    ]);
  });

  it("takes advertisement frames (a Mi Scale weighing) on <prefix>/<device>/adv/…", async () => {
    // devices/xiaomi/miScale.ts vector: stabilised person weighing, 61.75 kg
    await mqtt.publishAsync("vitals/mon1/adv/service_data/181d", Buffer.from("223e30e607020e10293a", "hex"), { qos: 1 });
    expect((await nurse.next(ofType("reading", (m) => m.reading.vital === "body_weight"))).reading).toMatchObject({ patientId: "p1", value: 61.75, unit: "kg" });
  });

  it("refuses an unparseable payload, an unknown device and a bad topic, counts each, and keeps running", async () => {
    await mqtt.publishAsync("vitals/mon1/json", "{\"vital\": \"spo2\", \"value\": ", { qos: 1 });
    await mqtt.publishAsync("vitals/strap1/gatt/2a37", Buffer.from([0x01, 0x48]), { qos: 1 }); // uint16 flag, 1 byte: truncated
    await mqtt.publishAsync("vitals/stranger/gatt/2a37", Buffer.from([0x00, 70]), { qos: 1 });
    await mqtt.publishAsync("vitals/strap1/gatt/xyz", Buffer.from([0x00, 70]), { qos: 1 });
    await eventually(async () => {
      expect(await metricValue(gateway, "vg_rejected_total", { code: "decode_malformed", stage: "decode" })).toBe(1);
      expect(await metricValue(gateway, "vg_rejected_total", { code: "decode_truncated", stage: "decode" })).toBe(1);
      expect(await metricValue(gateway, "vg_rejected_total", { code: "unknown_device", stage: "attribute" })).toBe(1);
      expect(await metricValue(gateway, "vg_rejected_total", { code: "bad_payload", stage: "mqtt" })).toBe(1);
    });
    const warnings = logs.map((l) => JSON.parse(l) as { msg: string; where?: string }).filter((l) => l.where);
    expect(warnings.find((w) => w.where === "device strap1 mqtt:gatt/2a37")?.msg).toMatch(/heart_rate.*offset 1/);
    // Nothing lost: the next good frame still arrives.
    await mqtt.publishAsync("vitals/strap2/gatt/2a37", Buffer.from([0x00, 77]), { qos: 1 });
    expect((await nurse.next(ofType("reading", (m) => m.reading.deviceId === "strap2"))).reading.value).toBe(77);
  });

  it("answers a malformed WebSocket message with a specific error, counts it, and keeps the socket", async () => {
    nurse.send("not json");
    expect(await nurse.next(ofType("error"))).toEqual({ type: "error", code: "bad_ws_message", message: "WebSocket message refused: message is not JSON" });
    nurse.send({ type: "ack" });
    expect((await nurse.next(ofType("error"))).message).toMatch(/alertId/);
    nurse.send({ type: "ping" });
    await nurse.next(ofType("pong"));
    expect(await metricValue(gateway, "vg_rejected_total", { code: "bad_ws_message", stage: "ws" })).toBe(2);
  });

  it("a viewer sees data but cannot acknowledge", async () => {
    const viewer = await WsClient.connect(gateway.url, { authorization: `Bearer ${gateway.tokens.createToken("viewer", "v").token}` });
    const { alerts } = await viewer.next(ofType("snapshot"));
    viewer.send({ type: "ack", alertId: alerts[0]?.id ?? "none" });
    expect(await viewer.next(ofType("error"))).toMatchObject({ code: "forbidden" });
    viewer.close();
  });

  it("takes ACVPU from a nurse, but the SpO2 scale only from a clinician", async () => {
    nurse.send({ type: "clinical", patientId: "p1", input: { type: "acvpu", value: "V" } });
    nurse.send({ type: "clinical", patientId: "p1", input: { type: "spo2_scale", scale: 2 } });
    expect(await nurse.next(ofType("error"))).toEqual({ type: "error", code: "action_refused", message: "only a clinician may set the SpO2 scale" });
    const clinician = await WsClient.connect(gateway.url, { authorization: `Bearer ${gateway.tokens.createToken("clinician", "dr-x").token}` });
    clinician.send({ type: "clinical", patientId: "p1", input: { type: "spo2_scale", scale: 2, reason: "hypercapnic respiratory failure" } });
    clinician.send({ type: "ping" });
    await clinician.next(ofType("pong"));
    expect(clinician.messages.filter((m) => m.type === "error")).toEqual([]);
    clinician.close();
    const db = new Database(join(dir, "alarms.db"), { readonly: true });
    const inputs = db.prepare("SELECT actor, data FROM audit_log WHERE type = 'clinical_input' ORDER BY id").all() as { actor: string; data: string }[];
    db.close();
    expect(inputs.map((r) => [(JSON.parse(r.actor) as { role: string }).role, (JSON.parse(r.data) as { type: string }).type])).toEqual([
      ["nurse", "acvpu"],
      ["clinician", "spo2_scale"],
    ]);
  });

  it("refuses an upgrade without a valid token (401) or from a foreign origin (403): no socket", async () => {
    await expect(WsClient.connect(gateway.url, {})).rejects.toThrow("HTTP 401");
    await expect(WsClient.connect(gateway.url, { authorization: "Bearer vgt_wrong" })).rejects.toThrow("HTTP 401");
    await expect(WsClient.connect(gateway.url, { authorization: `Bearer ${token}`, origin: "http://evil.example" })).rejects.toThrow("HTTP 403");
    expect(await metricValue(gateway, "vg_ws_upgrades_refused_total", { reason: "unauthenticated" })).toBe(2);
  });

  it("serves health, readiness and metrics without patient identifiers", async () => {
    expect((await fetch(`${gateway.url}livez`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { database: true, broker: true, ble: true, pipeline: true } });
    const metrics = await (await fetch(`${gateway.url}metrics`)).text();
    expect(metrics).toMatch(/^vg_frames_received_total\{source="mqtt:gatt"\} \d+/m);
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m); // operators watch memory and loop lag here
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(metrics).not.toMatch(/p1|strap1|Bed 1/);
    expect((await fetch(`${gateway.url}api/me`)).status).toBe(401);
  });
});
