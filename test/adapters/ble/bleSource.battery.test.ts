/**
 * Battery Level (0x2A19) on the real adapter (unmodified node-ble, private dbus-daemon, fake
 * BlueZ): a Battery Level that notifies sends nothing until it changes, so it is also read once
 * on connect; one that can only be read is read again every batteryPollMs while connected.
 */
import { afterEach, expect, it } from "vitest";
import type { FakeDevice } from "../../fakes/fakeBluez/fakeBluez.js";
import { fixedClock } from "../../helpers/frames.js";
import { HR_STRAP } from "../../contracts/bleSource.contract.js";
import { onFakeBluez, type FakeBluezRig } from "./harness.js";
import { Recorder } from "./recorder.js";

let rig: FakeBluezRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const strapWithBattery = (flags: string[]): FakeDevice => ({
  address: HR_STRAP,
  services: [
    { uuid16: "180d", characteristics: [{ uuid16: "2a37", flags: ["notify"] }] },
    { uuid16: "180f", characteristics: [{ uuid16: "2a19", flags, value: Uint8Array.from([77]) }] },
  ],
});

async function started(flags: string[], batteryPollMs?: number) {
  rig = await onFakeBluez([strapWithBattery(flags)], [{ address: HR_STRAP }], fixedClock(), batteryPollMs === undefined ? {} : { batteryPollMs });
  const frames = new Recorder(rig.source.frames$);
  const statuses = new Recorder(rig.source.status$);
  await rig.source.start();
  return { rig, frames, statuses };
}

it("a Battery Level that notifies is read once on connect (there is a value before it ever changes), then notifications flow", async () => {
  const { rig, frames, statuses } = await started(["read", "notify"]);
  expect((await statuses.next((s) => s.state === "connected")).channels).toContain("2a19");
  expect([...(await frames.next((f) => f.channel === "2a19")).bytes]).toEqual([77]);
  expect(rig.bluez.isNotifying(HR_STRAP, "2a19")).toBe(true);
  await rig.notify(HR_STRAP, "2a19", Uint8Array.from([76]));
  const changed = await frames.next((f) => f.channel === "2a19" && f.bytes[0] === 76);
  expect(changed.source).toBe("ble:gatt");
});

it("a notify-only Battery Level is not read (nothing to read), and still subscribed", async () => {
  const { rig, frames, statuses } = await started(["notify"]);
  await statuses.next((s) => s.state === "connected");
  expect(rig.bluez.isNotifying(HR_STRAP, "2a19")).toBe(true);
  expect(rig.bluez.reads(HR_STRAP, "2a19")).toBe(0);
  expect(frames.items.filter((f) => f.channel === "2a19")).toEqual([]);
});

it("a read-only Battery Level is polled while connected, so a draining battery shows", async () => {
  const { rig, frames, statuses } = await started(["read"], 100);
  await statuses.next((s) => s.state === "connected");
  expect([...(await frames.next((f) => f.channel === "2a19")).bytes]).toEqual([77]);
  rig.bluez.setValue(HR_STRAP, "2a19", Uint8Array.from([12]));
  expect((await frames.next((f) => f.channel === "2a19" && f.bytes[0] === 12)).deviceId).toBe("c0ffee001122");
});

it("stop() ends the polling: no read after it", async () => {
  const { rig, frames, statuses } = await started(["read"], 100);
  await statuses.next((s) => s.state === "connected");
  await frames.next((f) => f.channel === "2a19");
  await rig.source.stop();
  const polls = rig.bluez.reads(HR_STRAP, "2a19");
  await new Promise((r) => setTimeout(r, 400));
  expect(rig.bluez.reads(HR_STRAP, "2a19")).toBe(polls);
});
