/**
 * Bluetooth faults (issue 9 items 1 and 9) with unmodified node-ble in the gateway against the
 * suite's fake BlueZ on a real private dbus-daemon: a strap's link drops and stays down, then
 * comes back; then the D-Bus daemon itself dies, and is started again at the same address.
 * For each: time to a technical alarm on a logged-in console, and to its clearing.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeBluez, type FakeDevice } from "../../fakes/fakeBluez/fakeBluez.js";
import { freePort } from "../../helpers/mosquitto.js";
import { startBroker } from "../lib/broker.js";
import { createToken } from "../lib/cli.js";
import { patientOf, writeConfig } from "../lib/config.js";
import { Console, isResolved } from "../lib/console.js";
import { restartableBus } from "../lib/dbus.js";
import { startGatewayChild, type GatewayChild } from "../lib/gatewayChild.js";
import { onCleanup } from "../lib/owned.js";
import { pollFor } from "../lib/wait.js";
import type { SuiteOptions } from "../options.js";
import { atMost, check, type Check, type Figure, type ScenarioResult } from "../report.js";

const STRAP = "C0:FF:EE:00:11:22";
const strap: FakeDevice = { address: STRAP, name: "HR strap", services: [{ uuid16: "180d", characteristics: [{ uuid16: "2a37", flags: ["notify"] }] }] };
/** issue 9: BLE and D-Bus loss are technical alarms within a grace of at most 30 s by default. */
const ALARM_WITHIN_S = 30;
const HOLD_MS = 60_000;
const CLEAR_WAIT_MS = 90_000;

export async function bleLoss(o: SuiteOptions): Promise<ScenarioResult> {
  const bus = restartableBus();
  await bus.start();
  let bluez = await FakeBluez.start(bus.address, [strap]);
  const releaseBus = onCleanup(async () => {
    await bluez.stop().catch(() => undefined);
    await bus.kill();
  });
  const broker = await startBroker();
  const releaseBroker = onCleanup(() => broker.stop());
  const dataDir = mkdtempSync(join(tmpdir(), "vg-faults-ble-"));
  const httpPort = await freePort();
  const configFile = writeConfig({
    dataDir,
    httpPort,
    mqttUrl: broker.url,
    patients: 1,
    extraDevices: [`{ id: blestrap, patient: ${patientOf(0)} }`],
    extra: `ble: { enabled: true, busAddress: "${bus.address}", reconnect: { initialMs: 500, maxMs: 2000 }, devices: [{ address: "${STRAP}", id: blestrap, characteristics: [2a37] }] }`,
  });
  const { token } = await createToken(o.bin, dataDir, "nurse", "fault-suite nurse");
  let gateway: GatewayChild | undefined;
  const figures: Record<string, Figure> = {};
  const checks: Check[] = [];
  try {
    gateway = await startGatewayChild({ bin: o.bin, configFile, httpPort });
    const nurse = await Console.open(gateway.url, { authorization: `Bearer ${token}` });
    const subscribed = await pollFor(() => (bluez.isNotifying(STRAP, "2a37") ? true : undefined), 30_000, 100);
    checks.push(check("strap connected and subscribed before the faults", subscribed === true, subscribed ? "yes" : "not within 30 s"));

    // 1. The link drops and every reconnect fails, until it is allowed again.
    bluez.failNextConnects(STRAP, 1_000_000);
    const droppedAt = Date.now();
    bluez.dropLink(STRAP);
    const linkAlarm = await nurse.waitAlert((a, e) => a.kind === "technical" && a.patientId === patientOf(0) && !isResolved(a, e), droppedAt, HOLD_MS);
    bluez.failNextConnects(STRAP, 0);
    const backAt = Date.now();
    const linkCleared = linkAlarm ? await nurse.waitAlert((a, e) => a.id === linkAlarm.alert.id && isResolved(a, e), backAt, CLEAR_WAIT_MS) : undefined;
    record(figures, checks, "BLE link drop", droppedAt, backAt, linkAlarm, linkCleared);

    // 2. D-Bus dies (BlueZ with it); later both come back at the same address.
    await pollFor(() => (bluez.isNotifying(STRAP, "2a37") ? true : undefined), 30_000, 100);
    const busLostAt = Date.now();
    await bus.kill();
    const busAlarm = await nurse.waitAlert((a, e) => a.kind === "technical" && !/no_nurse_client|model/.test(a.cause) && !isResolved(a, e), busLostAt, HOLD_MS);
    await bluez.stop().catch(() => undefined);
    await bus.start();
    bluez = await FakeBluez.start(bus.address, [strap]);
    const busBackAt = Date.now();
    const busCleared = busAlarm ? await nurse.waitAlert((a, e) => a.id === busAlarm.alert.id && isResolved(a, e), busBackAt, CLEAR_WAIT_MS) : undefined;
    record(figures, checks, "D-Bus loss", busLostAt, busBackAt, busAlarm, busCleared);
    const resubscribed = await pollFor(() => (bluez.isNotifying(STRAP, "2a37") ? true : undefined), 30_000, 100);
    checks.push(check("strap read again after D-Bus came back", resubscribed === true, resubscribed ? "yes" : "not within 30 s"));
    checks.push(atMost("gateway exits during the faults", gateway.alive() ? 0 : 1, 0));
    nurse.close();
    return { scenario: "BLE link drop and D-Bus loss", figures, checks };
  } finally {
    await gateway?.stop();
    await releaseBroker();
    await releaseBus();
  }
}

type Shown = { at: number; alert: { cause: string } } | undefined;

function record(figures: Record<string, Figure>, checks: Check[], name: string, faultAt: number, repairAt: number, alarm: Shown, cleared: Shown): void {
  const toAlarm = alarm ? (alarm.at - faultAt) / 1000 : null;
  figures[`${name}: s to alarm`] = toAlarm;
  figures[`${name}: alarm cause`] = alarm?.alert.cause ?? "none";
  figures[`${name}: s to clear after repair`] = cleared ? (cleared.at - repairAt) / 1000 : null;
  checks.push(atMost(`${name}: technical alarm on the console`, toAlarm, ALARM_WITHIN_S, " s"));
  checks.push(check(`${name}: alarm cleared after repair`, cleared !== undefined, cleared ? "yes" : alarm ? `not within ${CLEAR_WAIT_MS / 1000} s` : "no alarm to clear"));
}
