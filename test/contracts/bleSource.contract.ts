/**
 * The SensorSource contract for BLE-shaped sources: the real BleSource (unmodified node-ble on a
 * fake BlueZ over a private dbus-daemon) and the in-process FakeBleSource both pass it. The MQTT
 * contract (test/contracts/sensorSource.contract.ts) is topic-shaped; this one is device-shaped.
 */
import type { Observable } from "rxjs";
import { afterEach, describe, expect, it } from "vitest";
import type { BleDeviceConfig } from "../../src/adapters/ble/bleSource.js";
import type { DeviceStatus } from "../../src/adapters/ble/status.js";
import type { SensorSource } from "../../src/ports/sensorSource.js";
import type { FakeDevice } from "../fakes/fakeBluez/fakeBluez.js";
import { fixedClock } from "../helpers/frames.js";
import { Recorder } from "../adapters/ble/recorder.js";

export type BleSource = SensorSource & { readonly status$: Observable<DeviceStatus>; statuses(): DeviceStatus[] };

export interface BleSourceUnderTest {
  /** Not started: the suite subscribes first, then calls start(). */
  readonly source: BleSource;
  /** The sensor sends a notification/indication on a characteristic the source subscribed to. */
  notify(address: string, uuid16: string, bytes: Uint8Array): Promise<void>;
  /** The radio link drops (sensor switched off, out of range). */
  dropLink(address: string): Promise<void>;
  close(): Promise<void>;
}

export type MakeBleSource = (world: readonly FakeDevice[], devices: readonly BleDeviceConfig[]) => Promise<BleSourceUnderTest>;

export const NOW = fixedClock().now();
export const HR_STRAP = "C0:FF:EE:00:11:22";
/** A heart-rate strap: HRS with a notifying 0x2A37 and a readable 0x2A38, BAS with a read-only 0x2A19 (90 %). */
export const hrStrap = (over: Partial<FakeDevice> = {}): FakeDevice => ({
  address: HR_STRAP,
  name: "HR strap",
  services: [
    { uuid16: "180d", characteristics: [{ uuid16: "2a37", flags: ["notify"] }, { uuid16: "2a38", flags: ["read"], value: Uint8Array.from([1]) }] },
    { uuid16: "180f", characteristics: [{ uuid16: "2a19", flags: ["read"], value: Uint8Array.from([0x5a]) }] },
  ],
  ...over,
});

const bytes = (b: Uint8Array | undefined): number[] => [...(b ?? [])];

export function bleSourceContract(name: string, make: MakeBleSource): void {
  describe(`BLE SensorSource contract: ${name}`, () => {
    let sut: BleSourceUnderTest | undefined;
    afterEach(async () => {
      await sut?.close();
      sut = undefined;
    });

    async function started(world: readonly FakeDevice[], devices: readonly BleDeviceConfig[]) {
      sut = await make(world, devices);
      const rec = { frames: new Recorder(sut.source.frames$), diagnostics: new Recorder(sut.source.diagnostics$), statuses: new Recorder(sut.source.status$) };
      await sut.source.start();
      return { sut, ...rec };
    }

    it("connects, subscribes to the health characteristics present and hands on each value with its exact bytes", async () => {
      const { sut, frames, statuses } = await started([hrStrap()], [{ address: HR_STRAP }]);
      expect(sut.source.connected).toBe(true);
      const up = await statuses.next((s) => s.state === "connected");
      expect(up).toMatchObject({ address: HR_STRAP, deviceId: "c0ffee001122", failures: 0 });
      expect([...up.channels].sort()).toEqual(["2a19", "2a37"]); // 2a38 is not a health characteristic
      // Battery Level cannot notify on this strap: read once per connection
      const battery = await frames.next((f) => f.channel === "2a19");
      expect(battery).toMatchObject({ deviceId: "c0ffee001122", source: "ble:gatt", receivedAt: NOW });
      expect(bytes(battery.bytes)).toEqual([0x5a]);
      await sut.notify(HR_STRAP, "2a37", Uint8Array.from([0x16, 0x4d, 0x16, 0x03]));
      await sut.notify(HR_STRAP, "2a37", Uint8Array.from([0x00, 0x55]));
      const first = await frames.next((f) => f.channel === "2a37");
      const second = await frames.next((f) => f.channel === "2a37", frames.items.indexOf(first) + 1);
      expect(first).toMatchObject({ deviceId: "c0ffee001122", source: "ble:gatt", channel: "2a37", receivedAt: NOW });
      expect(bytes(first.bytes)).toEqual([0x16, 0x4d, 0x16, 0x03]);
      expect(bytes(second.bytes)).toEqual([0x00, 0x55]);
      expect(sut.source.statuses()).toEqual([expect.objectContaining({ address: HR_STRAP, state: "connected" })]);
    });

    it("after a link loss it reports the device lost, reconnects, re-subscribes and frames resume", async () => {
      const { sut, frames, statuses } = await started([hrStrap()], [{ address: HR_STRAP, id: "strap-7", characteristics: ["2a37"] }]);
      await statuses.next((s) => s.state === "connected");
      await sut.dropLink(HR_STRAP);
      const lost = await statuses.next((s) => s.state === "disconnected");
      expect(lost).toMatchObject({ deviceId: "strap-7", channels: [], lastError: expect.stringContaining("link lost") as string });
      const back = await statuses.next((s) => s.state === "connected", statuses.items.indexOf(lost) + 1);
      expect(back.channels).toEqual(["2a37"]);
      await sut.notify(HR_STRAP, "2a37", Uint8Array.from([0x04, 0xff]));
      const frame = await frames.next((f) => f.channel === "2a37");
      expect(frame.deviceId).toBe("strap-7");
      expect(bytes(frame.bytes)).toEqual([0x04, 0xff]);
      expect(frames.items.filter((f) => f.channel === "2a37")).toHaveLength(1); // no duplicate from the dead subscription
    });

    it("names a configured characteristic the device lacks, and still delivers the ones it has", async () => {
      const { sut, frames, diagnostics, statuses } = await started([hrStrap()], [{ address: HR_STRAP, characteristics: ["2a37", "2a5f"] }]);
      const missing = await diagnostics.next((d) => d.code === "config_invalid");
      expect(missing.message).toContain("2a5f");
      expect(missing.where).toBe("device c0ffee001122 ble");
      expect((await statuses.next((s) => s.state === "connected")).channels).toEqual(["2a37"]);
      await sut.notify(HR_STRAP, "2a37", Uint8Array.from([0x00, 0x48]));
      expect(bytes((await frames.next((f) => f.channel === "2a37")).bytes)).toEqual([0x00, 0x48]);
    });

    it("turns an empty value into a diagnostic, not a frame", async () => {
      const { sut, frames, diagnostics, statuses } = await started([hrStrap()], [{ address: HR_STRAP, characteristics: ["2a37"] }]);
      await statuses.next((s) => s.state === "connected");
      await sut.notify(HR_STRAP, "2a37", new Uint8Array());
      await sut.notify(HR_STRAP, "2a37", Uint8Array.from([0x00, 0x50]));
      const empty = await diagnostics.next((d) => d.code === "bad_payload");
      expect(empty.where).toBe("device c0ffee001122 ble characteristic 2a37");
      await frames.next((f) => f.channel === "2a37");
      expect(frames.items.map((f) => bytes(f.bytes))).toEqual([[0x00, 0x50]]);
    });

    it("after stop it is not connected, every device is stopped and its streams complete", async () => {
      const { sut, statuses } = await started([hrStrap()], [{ address: HR_STRAP }]);
      await statuses.next((s) => s.state === "connected");
      const frames = new Recorder(sut.source.frames$);
      await sut.source.stop();
      expect(sut.source.connected).toBe(false);
      expect(statuses.items.at(-1)?.state).toBe("stopped");
      expect(frames.completed && statuses.completed).toBe(true);
    });
  });
}
