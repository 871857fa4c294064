/**
 * End to end through the real decode path: a heart-rate strap on the fake BlueZ notifies, node-ble
 * and BleSource turn it into RawFrames, and the shipped drivers decode them into readings.
 */
import { afterEach, expect, it } from "vitest";
import { decodeFrame } from "../../../src/core/decode/decodeFrame.js";
import { DriverRegistry } from "../../../src/core/decode/registry.js";
import { driverModules } from "../../../devices/index.js";
import { HR_STRAP, hrStrap } from "../../contracts/bleSource.contract.js";
import { onFakeBluez, type FakeBluezRig } from "./harness.js";
import { Recorder } from "./recorder.js";

const registry = new DriverRegistry(Object.values(driverModules).map((m) => m.driver));
let rig: FakeBluezRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

it("GATT Heart Rate notifications from the fake BlueZ decode to heart_rate readings", async () => {
  rig = await onFakeBluez([hrStrap()], [{ address: HR_STRAP, characteristics: ["2a37"] }]);
  const frames = new Recorder(rig.source.frames$);
  const statuses = new Recorder(rig.source.status$);
  await rig.source.start();
  await statuses.next((s) => s.state === "connected");
  // Nordic HeartRateMeasurementDataCallbackTest vectors (research gatt-vectors.json): 85 /min u8, 257 /min u16
  await rig.notify(HR_STRAP, "2a37", Uint8Array.from(Buffer.from("1e5532002100", "hex")));
  await rig.notify(HR_STRAP, "2a37", Uint8Array.from(Buffer.from("1f0101320101000201ffff", "hex")));
  await frames.next((f) => f.channel === "2a37", 1); // the second frame
  const decoded = frames.items.slice(0, 2).map((f) => decodeFrame(registry, f));
  const heartRates = decoded.map((d) => (d.ok ? d.values.filter((v) => v.vital === "heart_rate").map((v) => [v.value, v.unit]) : d.error.message));
  expect(heartRates).toEqual([[[85, "/min"]], [[257, "/min"]]]);
  expect(decoded.every((d) => d.ok && d.driverId.length > 0)).toBe(true);
});

it("a Polar H10 advertisement read from the fake BlueZ decodes to a heart_rate reading", async () => {
  const polar = { address: "A0:9E:1A:00:00:10", services: [], manufacturerData: { 0x006b: Uint8Array.from([0x3b, 0x16, 0x44, 0x46]) } };
  rig = await onFakeBluez([polar], [{ address: polar.address, mode: "advertisement" }]);
  const frames = new Recorder(rig.source.frames$);
  await rig.source.start();
  const frame = await frames.next((f) => f.source === "ble:adv");
  const decoded = decodeFrame(registry, frame);
  expect(decoded.ok && decoded.driverId).toBe("polar.h10");
  expect(decoded.ok && decoded.values.map((v) => [v.vital, v.value, v.unit])).toEqual([["heart_rate", 70, "/min"]]);
});
