/** With `mqtt.url` set the gateway runs no broker of its own and reads from a real mosquitto. */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Gateway } from "../../src/main.js";
import { ofType, publisher, testGateway, TEST_CONFIG, WsClient } from "../helpers/gateway.js";
import { startMosquitto } from "../helpers/mosquitto.js";

let broker: Awaited<ReturnType<typeof startMosquitto>>;
let gateway: Gateway;

beforeAll(async () => {
  broker = await startMosquitto();
  ({ gateway } = await testGateway(TEST_CONFIG.replace("mqtt: { embeddedPort: 0 }", `mqtt: { url: "${broker.url}" }`)));
});

afterAll(async () => {
  await gateway?.stop();
  await broker?.stop();
});

it("ingests frames from an external mosquitto broker", async () => {
  expect(gateway.mqttUrl).toBe(broker.url);
  const ws = await WsClient.connect(gateway.url, { authorization: `Bearer ${gateway.tokens.createToken("nurse", "n").token}` });
  const device = await publisher(broker.url);
  await device.publishAsync("vitals/strap2/gatt/2a37", Buffer.from([0x00, 35]), { qos: 1 });
  expect((await ws.next(ofType("alert", (m) => m.alert.cause === "threshold:heart_rate:low"))).alert).toMatchObject({ patientId: "p2", kind: "physiological" });
  await device.endAsync();
  ws.close();
});
