/** DESIGN §6 end to end: a gateway with an upstream block → a real mosquitto → a central subscriber. */
import { afterEach, expect, it } from "vitest";
import { heartRateFrame } from "../../src/demo/recordings.js";
import { Central, until } from "../adapters/upstream/harness.js";
import { TEST_CONFIG, WsClient, ofType, publisher, testGateway } from "../helpers/gateway.js";
import { freePort, startMosquitto } from "../helpers/mosquitto.js";

const opened: { stop: () => Promise<unknown> }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.stop();
});

it("readings and alerts reach the central broker; stopping the gateway says offline", async () => {
  const central = await startMosquitto();
  opened.push(central);
  const console_ = await Central.connect(central.url, "gateways/ward3/#");
  opened.push({ stop: () => console_.close() });
  const { gateway } = await testGateway(`${TEST_CONFIG}\nupstream: { url: "${central.url}", gatewayId: ward3, reconnectInitialMs: 100 }\nstorage: { batchMs: 20 }\n`);
  opened.push(gateway);
  const sensor = await publisher(gateway.mqttUrl);
  opened.push({ stop: () => sensor.endAsync() });
  await sensor.publishAsync("vitals/strap1/gatt/2a37", heartRateFrame(150), { qos: 1 });
  await until(() => console_.readingSeqs().length >= 1 && console_.alerts().some((a) => a.event === "raise"), "the reading and the alerts upstream");
  const hr = console_.of("readings").flatMap((m) => m.json["readings"] as { patientId: string; vital: string; value: number }[]);
  expect(hr).toEqual([expect.objectContaining({ patientId: "p1", vital: "heart_rate", value: 150 })]);
  expect(JSON.stringify(console_.messages)).not.toContain("Bed 1"); // labels stay on the gateway
  const causes = console_.of("alert").map((m) => (m.json["alert"] as { cause: string }).cause);
  expect(causes).toContain("threshold:heart_rate:high");
  await gateway.stop();
  opened.splice(opened.indexOf(gateway), 1);
  await until(() => console_.of("status").at(-1)?.json["state"] === "offline", "offline status");
});

it("the upstream_link alarm comes after linkGraceSeconds alone, not after technicalRaiseMs on top (issue 13 item 2)", async () => {
  const nobody = `mqtt://127.0.0.1:${await freePort()}`; // no central broker: the link never comes up
  // technicalRaiseMs 120 s: were it added to the 1 s grace, no alarm would come within the wait below.
  const yaml = TEST_CONFIG.replace("technicalRaiseMs: 0", "technicalRaiseMs: 120000");
  const { gateway } = await testGateway(`${yaml}\nupstream: { url: "${nobody}", gatewayId: ward3, linkGraceSeconds: 1, reconnectInitialMs: 100 }\n`);
  opened.push(gateway);
  const nurse = await WsClient.connect(gateway.url, { authorization: `Bearer ${gateway.tokens.createToken("nurse", "n").token}` });
  opened.push({ stop: () => Promise.resolve(nurse.close()) });
  const raised = await nurse.next(ofType("alert", (m) => m.alert.cause === "technical:external:upstream_link"), 30_000);
  expect(raised.alert).toMatchObject({ kind: "technical", patientId: "_gateway" });
});
