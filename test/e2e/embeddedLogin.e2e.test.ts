/**
 * The embedded broker with a login, as on a hub whose sensor bridges publish over the LAN: the
 * gateway's own client logs in with the same secret, bridges that log in are heard, anonymous
 * ones are refused. (The test still binds to loopback: tests never listen beyond it.)
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Gateway } from "../../src/main.js";
import { ofType, testGateway, TEST_CONFIG, WsClient } from "../helpers/gateway.js";
import { runCli } from "../helpers/cli.js";

let gateway: Gateway;
const dir = mkdtempSync(join(tmpdir(), "vg-login-"));
const passwordFile = join(dir, "bridges.pw");

beforeAll(async () => {
  writeFileSync(passwordFile, "long-random-bridge-secret\n", { mode: 0o600 });
  const yaml = TEST_CONFIG.replace("mqtt: { embeddedPort: 0 }", `mqtt: { embeddedPort: 0, embeddedUsername: bridges, embeddedPasswordFile: "${passwordFile}" }`);
  ({ gateway } = await testGateway(yaml));
});
afterAll(async () => gateway?.stop());

it("hears a bridge that logs in, and refuses one that does not", async () => {
  await expect(mqtt.connectAsync(gateway.mqttUrl, { protocolVersion: 4, reconnectPeriod: 0 })).rejects.toThrow(/Bad username or password|Not authorized/i);
  const nurse = await WsClient.connect(gateway.url, { authorization: `Bearer ${gateway.tokens.createToken("nurse", "n").token}` });
  const bridge = await mqtt.connectAsync(gateway.mqttUrl, { protocolVersion: 4, username: "bridges", password: "long-random-bridge-secret" });
  await bridge.publishAsync("vitals/strap1/gatt/2a37", Buffer.from([0x00, 64]), { qos: 1 });
  expect((await nurse.next(ofType("reading"))).reading).toMatchObject({ deviceId: "strap1", value: 64 });
  await bridge.endAsync();
  nurse.close();
});

it("a password file it cannot read is a config error: exit 2, naming the key", async () => {
  const file = join(dir, "gw.yaml");
  writeFileSync(file, `http: {port: 0}\nmqtt: {embeddedPort: 0, embeddedUsername: bridges, embeddedPasswordFile: ${join(dir, "missing.pw")}}\n`);
  const r = await runCli(["run", "--config", file]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("/mqtt/embeddedPasswordFile: cannot read"); // refused by the loader, before anything starts
});
