/**
 * Bluetooth LE in the running gateway: unmodified node-ble against a fake org.bluez on a real
 * private dbus-daemon; a strap's notification reaches a nurse's WebSocket as a reading. Without
 * BlueZ the gateway still starts, says so with a technical alarm, and MQTT keeps flowing. A strap
 * that drops out, and a dbus-daemon crash, reach a logged-in nurse as technical alarms within the
 * configured grace and clear once the link is back.
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

const withBle = (ble: string, config = TEST_CONFIG) => config.replace("devices: [", "devices: [{ id: blestrap, patient: p2 }, ") + `ble: ${ble}\n`;
/** The grace of technical alarms (alerting.persistence.technicalRaiseMs), short for the test; the default is 30 s. */
const GRACE_MS = 3_000;
const withGrace = TEST_CONFIG.replace("technicalRaiseMs: 0, technicalClearMs: 0", `technicalRaiseMs: ${GRACE_MS}, technicalClearMs: 1000`);
const strapOn = (address: string) =>
  withBle(`{ enabled: true, busAddress: "${address}", reconnect: { initialMs: 100, maxMs: 1000 }, devices: [{ address: "${HR_STRAP}", id: blestrap, characteristics: [2a37] }] }`, withGrace);
const readyChecks = async (g: Gateway) => ((await (await fetch(`${g.url}readyz`)).json()) as { checks: { ble: boolean } }).checks;
const alertEvent = (event: string, cause: string) => ofType("alert", (m) => m.event === event && m.alert.cause === cause);
/** Bound on waiting for an alarm: the grace plus a generous margin for a loaded 2-core box (a bound, not a speed assertion). */
const ALARM_WAIT_MS = GRACE_MS + 20_000;
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

  it("a strap that drops out raises its technical alarm on the nurse's console within the grace; reconnecting clears it", async () => {
    daemon = await startDbusDaemon();
    bluez = await FakeBluez.start(daemon.address, [hrStrap()]);
    ({ gateway } = await testGateway(strapOn(daemon.address)));
    const nurse = await nurseOf(gateway);
    await eventually(() => expect(bluez?.isNotifying(HR_STRAP, "2a37")).toBe(true));
    bluez.failNextConnects(HR_STRAP, 1_000_000); // switched off: every Connect fails until it is back
    bluez.dropLink(HR_STRAP);
    const { alert } = await nurse.next(alertEvent("raise", "technical:external:ble_link.blestrap"), ALARM_WAIT_MS);
    expect(alert).toMatchObject({ kind: "technical", patientId: "p2", state: "active" });
    expect(alert.message).toContain("Bluetooth sensor blestrap not connected");
    bluez.failNextConnects(HR_STRAP, 0);
    const cleared = await nurse.next(ofType("alert", (m) => m.event === "resolve" && m.alert.id === alert.id), ALARM_WAIT_MS);
    expect(cleared.alert.cause).toBe("technical:external:ble_link.blestrap");
    await eventually(() => expect(bluez?.notify(HR_STRAP, "2a37", Uint8Array.from([0x00, 70]))).toBe(true));
    expect((await nurse.next(ofType("reading", (m) => m.reading.deviceId === "blestrap"))).reading.value).toBe(70);
    nurse.close();
  });

  it("a dbus-daemon crash raises 'Bluetooth service lost' within the grace; after its restart the gateway reconnects, clears it and reads again", async () => {
    daemon = await startDbusDaemon();
    bluez = await FakeBluez.start(daemon.address, [hrStrap()]);
    ({ gateway } = await testGateway(strapOn(daemon.address)));
    const nurse = await nurseOf(gateway);
    await eventually(() => expect(bluez?.isNotifying(HR_STRAP, "2a37")).toBe(true));
    expect((await readyChecks(gateway)).ble).toBe(true);

    await daemon.kill();
    const { alert } = await nurse.next(alertEvent("raise", "technical:external:ble_unavailable"), ALARM_WAIT_MS);
    expect(alert).toMatchObject({ kind: "technical", patientId: "_gateway", message: expect.stringMatching(/^Bluetooth service lost \(.*D-Bus.*\): BLE sensors are not being read$/) as string });
    expect((await readyChecks(gateway)).ble).toBe(false);

    await daemon.restart();
    bluez = await FakeBluez.start(daemon.address, [hrStrap()]);
    await nurse.next(ofType("alert", (m) => m.event === "resolve" && m.alert.id === alert.id), ALARM_WAIT_MS);
    await eventually(async () => expect((await readyChecks(gateway!)).ble).toBe(true), ALARM_WAIT_MS);
    await eventually(() => expect(bluez?.notify(HR_STRAP, "2a37", Uint8Array.from([0x00, 64]))).toBe(true), ALARM_WAIT_MS);
    expect((await nurse.next(ofType("reading", (m) => m.reading.deviceId === "blestrap"))).reading.value).toBe(64);
    nurse.close();
  });
});
