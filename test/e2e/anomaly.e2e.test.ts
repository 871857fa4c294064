/**
 * The anomaly model inside the running gateway: rule alerts carry its score once it has scored,
 * and a missing model leaves the rules alarming, every alert saying "model unavailable", plus a
 * technical alarm (issue 6, DESIGN §1).
 */
import type { MqttClient } from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import type { Gateway } from "../../src/main.js";
import { ofType, publisher, testGateway, TEST_CONFIG, WsClient } from "../helpers/gateway.js";

let gateway: Gateway | undefined;
let device: MqttClient | undefined;
afterEach(async () => {
  await device?.endAsync();
  await gateway?.stop();
});

const vitals = (hr: number) =>
  JSON.stringify([
    { vital: "heart_rate", value: hr, unit: "/min" },
    { vital: "respiratory_rate", value: 24, unit: "/min" },
    { vital: "spo2", value: 93, unit: "%" },
    { vital: "systolic_bp", value: 100, unit: "mm[Hg]" },
    { vital: "body_temperature", value: 38.4, unit: "Cel" },
  ]);

async function start(anomaly: string) {
  ({ gateway } = await testGateway(`${TEST_CONFIG}anomaly: ${anomaly}\n`));
  device = await publisher(gateway.mqttUrl);
  const nurse = await WsClient.connect(gateway.url, { authorization: `Bearer ${gateway.tokens.createToken("nurse", "n").token}` });
  return { gateway, device, nurse };
}

describe("anomaly model in the gateway", () => {
  it("attaches the bundled model's score to rule alerts once it has scored a step", async () => {
    const { device, nurse } = await start("{ stepMs: 1000 }");
    await device.publishAsync("vitals/mon1/json", vitals(100), { qos: 1 });
    await new Promise((r) => setTimeout(r, 2500)); // at least one model step with this patient's data
    await device.publishAsync("vitals/strap1/gatt/2a37", Buffer.from([0x00, 135]), { qos: 1 });
    const { alert } = await nurse.next(ofType("alert", (m) => m.alert.cause === "threshold:heart_rate:high"));
    expect(alert.modelStatus).toBe("ok");
    expect(alert.modelScore).toBeGreaterThanOrEqual(0);
    expect(alert.modelScore).toBeLessThanOrEqual(1);
    expect(alert.modelVersion).toMatch(/^\d+\.\d+\.\d+/);
    nurse.close();
  });

  it("without a model: rules still alarm, alerts say model unavailable, and a technical alarm says why", async () => {
    const { device, nurse } = await start("{ modelDir: /nonexistent/model }");
    // Raised at start, before any console connected: the snapshot carries it.
    const { alerts } = await nurse.next(ofType("snapshot"));
    const technical = alerts.find((a) => a.cause === "technical:model_unavailable");
    expect(technical).toMatchObject({ kind: "technical", patientId: "_gateway", state: "active" });
    expect(technical?.message).toContain("/nonexistent/model");
    await device.publishAsync("vitals/strap1/gatt/2a37", Buffer.from([0x00, 150]), { qos: 1 });
    const rule = await nurse.next(ofType("alert", (m) => m.alert.cause === "threshold:heart_rate:high"));
    expect(rule.alert).toMatchObject({ state: "active", priority: "high", modelStatus: "unavailable" });
    expect(rule.alert.modelScore).toBeUndefined();
    nurse.close();
  });
});
