/**
 * The console's history API on a real gateway (embedded broker, SQLite files): readings arrive
 * over MQTT as a device would send them; requests go over HTTP as a console's would.
 */
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gateway } from "../../../src/main.js";
import { HISTORY_LIMITS, type AlarmsAnswer, type ApiError, type BucketsAnswer, type PatientsAnswer, type RawReadingsAnswer } from "../../../src/adapters/http/historyApi.js";
import { eventually, metricValue, ofType, publisher, testGateway, WsClient } from "../../helpers/gateway.js";

let gateway: Gateway;
let device: MqttClient;
let token: string;
const T0 = Date.now() - 30 * 60_000;
const SPO2 = [97, 96, 0, 95, 94, 96]; // the 0 is a probe off

beforeAll(async () => {
  ({ gateway } = await testGateway());
  device = await publisher(gateway.mqttUrl);
  token = gateway.tokens.createToken("nurse", "History Test").token;
  const readings = SPO2.map((value, i) => ({ vital: "spo2", value, unit: "%", time: T0 + i * 60_000 }));
  await device.publishAsync("vitals/mon1/json", JSON.stringify(readings), { qos: 1 });
  await device.publishAsync("vitals/strap1/gatt/2a37", Buffer.from([0x00, 150]), { qos: 1 }); // raises a high alarm
  await eventually(async () => expect((await get<RawReadingsAnswer>("/api/patients/p1/readings?vital=spo2")).body.readings).toHaveLength(SPO2.length));
});

afterAll(async () => {
  await device?.endAsync();
  await gateway?.stop();
});

/** `auth` null: anonymous. */
async function get<T = ApiError>(path: string, auth: string | null = token, method = "GET"): Promise<{ status: number; body: T }> {
  const res = await fetch(new URL(path, gateway.url), { method, headers: auth === null ? {} : { authorization: `Bearer ${auth}` } });
  return { status: res.status, body: (await res.json()) as T };
}

describe("history API", () => {
  it("refuses anonymous and revoked callers with 401 before looking anything up, and counts them", async () => {
    const before = await metricValue(gateway, "vg_rejected_total", { code: "unauthenticated", stage: "http" });
    for (const path of ["/api/patients", "/api/patients/p1/readings", "/api/patients/p1/alarms", "/api/patients/nobody/readings"]) {
      expect((await get(path, null)).status).toBe(401);
    }
    const revoked = gateway.tokens.createToken("nurse", "Gone");
    gateway.tokens.revoke(revoked.id);
    expect((await get("/api/patients", revoked.token)).status).toBe(401);
    expect(await metricValue(gateway, "vg_rejected_total", { code: "unauthenticated", stage: "http" })).toBe(before + 5);
  });

  it("lists patients with latest values, NEWS2 per parameter and open alerts", async () => {
    await eventually(async () => expect((await get<PatientsAnswer>("/api/patients")).body.patients[0]?.openAlerts.length).toBeGreaterThan(0));
    const { status, body } = await get<PatientsAnswer>("/api/patients");
    expect(status).toBe(200);
    expect(body.patients.map((p) => p.id)).toEqual(["p1", "p2"]);
    const p1 = body.patients[0]!;
    expect(p1.label).toBe("Bed 1");
    expect(p1.latest.find((r) => r.vital === "heart_rate")?.value).toBe(150);
    expect(p1.clinical.news2.subscores.pulse).toBe(3);
    expect(p1.clinical.news2.missing).toContain("consciousness");
    expect(p1.openAlerts.map((a) => a.alert.cause)).toContain("threshold:heart_rate:high");
  });

  it("pages through raw readings in time order with a cursor, without gaps or repeats", async () => {
    const seen: number[] = [];
    let path = `/api/patients/p1/readings?vital=spo2&limit=4&since=${T0 - 1}`;
    for (let pages = 0; pages < 5; pages++) {
      const { status, body } = await get<RawReadingsAnswer>(path);
      expect(status).toBe(200);
      expect(body.readings.length).toBeLessThanOrEqual(4);
      seen.push(...body.readings.map((r) => r.value));
      if (!body.next) break;
      path = `/api/patients/p1/readings?vital=spo2&limit=4&since=${T0 - 1}&cursor=${body.next}`;
    }
    expect(seen).toEqual(SPO2);
  });

  it("buckets values for charts, leaving a probe-off 0 out", async () => {
    const { body } = await get<BucketsAnswer>(`/api/patients/p1/readings?vital=spo2&since=${T0}&until=${T0 + 6 * 60_000}&step=120000`);
    expect(body.buckets.map((b) => [b.n, b.min])).toEqual([[2, 96], [1, 95], [2, 94]]);
    expect(body.buckets[0]).toMatchObject({ vital: "spo2", unit: "%", t: T0, max: 97, avg: 96.5 });
  });

  it("answers bad requests with a typed 400 naming the parameter, counts them, and keeps serving", async () => {
    const cases: [string, string][] = [
      [`/api/patients/p1/readings?limit=${HISTORY_LIMITS.maxLimit + 1}`, "bad_limit"],
      ["/api/patients/p1/readings?limit=abc", "bad_limit"],
      ["/api/patients/p1/readings?vital=blood_type", "bad_vital"],
      ["/api/patients/p1/readings?since=0&until=999999999999", "window_too_long"],
      ["/api/patients/p1/readings?since=10&until=5", "bad_window"],
      ["/api/patients/p1/readings?step=1000", "too_many_buckets"],
      ["/api/patients/p1/readings?cursor=DROP%20TABLE", "bad_cursor"],
      ["/api/patients/%E0%A4%A/readings", "bad_patient_id"],
    ];
    for (const [path, code] of cases) {
      const { status, body } = await get(path);
      expect({ path, status, error: body.error }).toEqual({ path, status: 400, error: code });
      expect(body.message).toMatch(/\w/);
    }
    expect(await metricValue(gateway, "vg_rejected_total", { code: "bad_limit", stage: "http" })).toBe(2);
    expect((await get("/api/patients/nobody/readings")).status).toBe(404);
    expect((await get("/api/patients", token, "POST")).status).toBe(405);
    expect((await fetch(new URL("/livez", gateway.url))).status).toBe(200);
  });

  it("gives the alarm history with who acknowledged and when, and the nurse's entries", async () => {
    const ws = await WsClient.connect(gateway.url, { authorization: `Bearer ${token}` });
    const snap = await ws.next(ofType("snapshot"));
    const hr = snap.alerts.find((a) => a.cause === "threshold:heart_rate:high");
    expect(hr).toBeDefined();
    ws.send({ type: "ack", alertId: hr!.id });
    const acked = await ws.next(ofType("alert", (m) => m.alert.id === hr!.id && m.alert.state === "acknowledged"));
    expect(acked.ack).toMatchObject({ user: "History Test", role: "nurse" }); // live: who, on the message itself
    ws.send({ type: "clinical", patientId: "p1", input: { type: "acvpu", value: "V" } });
    const clinical = await ws.next(ofType("clinical", (m) => m.patientId === "p1" && m.clinical.acvpu?.value === "V"));
    expect(clinical.clinical.news2.subscores.consciousness).toBe(3);
    ws.close();

    const { body } = await get<AlarmsAnswer>("/api/patients/p1/alarms");
    const row = body.alarms.find((a) => a.alert.id === hr!.id);
    expect(row?.ack).toMatchObject({ user: "History Test", role: "nurse" });
    expect(row?.ack?.at).toBeGreaterThan(T0);
    expect(body.entries[0]).toMatchObject({ user: "History Test", input: { type: "acvpu", value: "V" } });
    // A console connecting now sees who acknowledged in its snapshot.
    const late = await WsClient.connect(gateway.url, { authorization: `Bearer ${token}` });
    const lateSnap = await late.next(ofType("snapshot"));
    expect(lateSnap.acks?.[hr!.id]?.user).toBe("History Test");
    expect(lateSnap.patients[0]?.clinical?.acvpu?.value).toBe("V");
    late.close();
  });
});
