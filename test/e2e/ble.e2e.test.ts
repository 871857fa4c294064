/**
 * Bluetooth LE in the running gateway: unmodified node-ble against a fake org.bluez on a real
 * private dbus-daemon; a strap's notification reaches a nurse's WebSocket as a reading. Without
 * BlueZ the gateway still starts, says so with a technical alarm, and MQTT keeps flowing.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Gateway } from "../../src/main.js";
import { FakeBluez } from "../fakes/fakeBluez/fakeBluez.js";
import { HR_STRAP, hrStrap } from "../adapters/ble/bleSource.contract.js";
import { startDbusDaemon, type DbusDaemon } from "../helpers/dbusDaemon.js";
import { eventually, ofType, publisher, testGateway, TEST_CONFIG, WsClient } from "../helpers/gateway.js";

let gateway: Gateway | undefined;
let daemon: DbusDaemon | undefined;
let bluez: FakeBluez | undefined;
afterEach(async () => {
  await gateway?.stop();
  await bluez?.stop();
  await daemon?.stop();
  gateway = bluez = daemon = undefined;
});

const withBle = (ble: string) => TEST_CONFIG.replace("devices: [", "devices: [{ id: blestrap, patient: p2 }, ") + `ble: ${ble}\n`;
const nurseOf = async (g: Gateway) => WsClient.connect(g.url, { authorization: `Bearer ${g.tokens.createToken("nurse", "n").token}` });

describe("BLE ingest in the gateway", () => {
  it("a heart-rate strap on BlueZ reaches the console as a reading of its patient", async () => {
    daemon = await startDbusDaemon();
    bluez = await FakeBluez.start(daemon.address, [hrStrap()]);
    ({ gateway } = await testGateway(withBle(`{ enabled: true, busAddress: "${daemon.address}", devices: [{ address: "${HR_STRAP}", id: blestrap, characteristics: [2a37] }] }`)));
    const nurse = await nurseOf(gateway);
    // GATT 0x2A37: flags 0x00 (uint8), 72 /min; notify once node-ble has subscribed.
    await eventually(() => expect(bluez?.notify(HR_STRAP, "2a37", Uint8Array.from([0x00, 72]))).toBe(true));
    const { reading } = await nurse.next(ofType("reading", (m) => m.reading.deviceId === "blestrap"));
    expect(reading).toMatchObject({ patientId: "p2", vital: "heart_rate", value: 72, unit: "/min" });
    const ready = (await (await fetch(`${gateway.url}readyz`)).json()) as { checks: { ble: boolean } };
    expect(ready.checks.ble).toBe(true);
    nurse.close();
  });

  it("without BlueZ it starts anyway, raises a technical alarm, and MQTT still flows", async () => {
    ({ gateway } = await testGateway(withBle(`{ enabled: true, busAddress: "unix:path=/nonexistent/bus", devices: [{ address: "${HR_STRAP}", id: blestrap }] }`)));
    const nurse = await nurseOf(gateway);
    const { alerts } = await nurse.next(ofType("snapshot"));
    expect(alerts.find((a) => a.cause === "technical:external:ble_unavailable")).toMatchObject({ kind: "technical", patientId: "_gateway" });
    expect((await fetch(`${gateway.url}readyz`)).status).toBe(200);
    const device = await publisher(gateway.mqttUrl);
    await device.publishAsync("vitals/strap1/gatt/2a37", Buffer.from([0x00, 66]), { qos: 1 });
    expect((await nurse.next(ofType("reading"))).reading.value).toBe(66);
    await device.endAsync();
    nurse.close();
  });
});
