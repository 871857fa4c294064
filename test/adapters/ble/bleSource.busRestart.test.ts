/**
 * A dbus-daemon crash and restart (same address) on the real adapter: unmodified node-ble, a real
 * private dbus-daemon killed with SIGKILL, the fake BlueZ registered again on the new daemon.
 * The source says BlueZ is lost (link$, connected, every device disconnected), reconnects to
 * the bus with backoff, re-establishes the device links and says so; frames flow again.
 */
import { afterEach, expect, it } from "vitest";
import type { LinkState } from "../../../src/core/link.js";
import { FakeBluez } from "../../fakes/fakeBluez/fakeBluez.js";
import { HR_STRAP, hrStrap } from "./bleSource.contract.js";
import { onFakeBluez, type FakeBluezRig } from "./harness.js";
import { Recorder } from "./recorder.js";

let rig: FakeBluezRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

it("a dbus-daemon restart: lost, then the bus, the adapter and the sensor come back and frames flow", async () => {
  // The link watchdog (which would notice on its next read) is set far beyond the wait: the loss must be seen from the socket.
  rig = await onFakeBluez([hrStrap()], [{ address: HR_STRAP, characteristics: ["2a37"] }], undefined, { watchdogMs: 600_000 });
  const service = new Recorder<LinkState>(rig.source.link$);
  const statuses = new Recorder(rig.source.status$);
  const frames = new Recorder(rig.source.frames$);
  const diagnostics = new Recorder(rig.source.diagnostics$);
  await rig.source.start();
  await statuses.next((s) => s.state === "connected");
  expect(service.items).toEqual([{ up: true }]);

  await rig.daemon.kill();
  expect(await service.next((s) => !s.up)).toMatchObject({ up: false, why: expect.stringMatching(/^service lost: .*D-Bus connection/) as string });
  expect(rig.source.connected).toBe(false);
  const lost = await statuses.next((s) => s.state === "disconnected");
  expect(lost.lastError).toContain("D-Bus connection");

  // While the bus is down the source keeps trying; once it is back without BlueZ, the adapter lookup fails and is retried too.
  await rig.daemon.restart();
  await new Promise((r) => setTimeout(r, 300));
  rig.bluez = await FakeBluez.start(rig.daemon.address, [hrStrap()]);

  await service.next((s) => s.up, 1);
  expect(rig.source.connected).toBe(true);
  await statuses.next((s) => s.state === "connected", statuses.items.indexOf(lost) + 1);
  await rig.notify(HR_STRAP, "2a37", Uint8Array.from([0x00, 61]));
  expect([...(await frames.next((f) => f.channel === "2a37")).bytes]).toEqual([0x00, 61]);
  // one "lost" report for the outage, then at most one per distinct reason while retrying
  const reasons = diagnostics.items.filter((d) => d.where === "ble").map((d) => d.message);
  expect(new Set(reasons).size).toBe(reasons.length);
});

it("BlueZ unreachable at start: start() rejects, and the source keeps trying until it is there", async () => {
  rig = await onFakeBluez([hrStrap()], [{ address: HR_STRAP, characteristics: ["2a37"] }]);
  await rig.bluez.stop(); // dbus-daemon up, bluetoothd not yet (boot order)
  const service = new Recorder<LinkState>(rig.source.link$);
  const statuses = new Recorder(rig.source.status$);
  await expect(rig.source.start()).rejects.toThrow(/BLE: cannot reach BlueZ/);
  expect(service.items[0]).toMatchObject({ up: false });
  expect(service.items[0]?.why).not.toMatch(/^service lost/); // never reached: "unavailable", not "lost"
  expect((await statuses.next((s) => s.state === "disconnected")).deviceId).toBe("c0ffee001122"); // each sensor is held lost
  rig.bluez = await FakeBluez.start(rig.daemon.address, [hrStrap()]);
  await service.next((s) => s.up);
  await statuses.next((s) => s.state === "connected");
  expect(rig.source.connected).toBe(true);
});

it("bluetoothd gone while the bus stays up (nothing is signalled): found by the adapter probe, held lost, back when BlueZ returns", async () => {
  rig = await onFakeBluez([hrStrap()], [{ address: HR_STRAP, characteristics: ["2a37"] }]);
  const service = new Recorder<LinkState>(rig.source.link$);
  const statuses = new Recorder(rig.source.status$);
  await rig.source.start();
  await statuses.next((s) => s.state === "connected");
  await rig.bluez.stop();
  expect(await service.next((s) => !s.up)).toMatchObject({ up: false, why: expect.stringMatching(/^service lost: /) as string });
  expect(rig.source.connected).toBe(false);
  const lost = await statuses.next((s) => s.state === "disconnected");
  rig.bluez = await FakeBluez.start(rig.daemon.address, [hrStrap()]);
  await service.next((s) => s.up, 1);
  await statuses.next((s) => s.state === "connected", statuses.items.indexOf(lost) + 1);
  await rig.notify(HR_STRAP, "2a37", Uint8Array.from([0x00, 62]));
});
