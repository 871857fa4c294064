/** The real BleSource on a fake BlueZ on a private dbus-daemon, with test-sized timings. */
import { BleSource, type BleDeviceConfig, type BleSourceOptions } from "../../../src/adapters/ble/bleSource.js";
import type { Clock } from "../../../src/ports/clock.js";
import { FakeBluez, type FakeDevice } from "../../fakes/fakeBluez/fakeBluez.js";
import { startDbusDaemon, type DbusDaemon } from "../../helpers/dbusDaemon.js";
import { fixedClock } from "../../helpers/frames.js";
import type { BleSourceUnderTest } from "../../contracts/bleSource.contract.js";

// Short waits so a reconnect takes milliseconds; generous bounds so a loaded box does not fail.
export const TEST_TIMING = { operationMs: 8_000, discoveryMs: 8_000, discoveryPollMs: 50, servicesRetryMs: 200, watchdogMs: 250, advertisementPollMs: 50 } as const;
export const TEST_BACKOFF = { initialMs: 20, maxMs: 200 } as const;

export interface FakeBluezRig extends BleSourceUnderTest {
  readonly source: BleSource;
  readonly daemon: DbusDaemon;
  bluez: FakeBluez;
}

export async function onFakeBluez(
  world: readonly FakeDevice[],
  devices: readonly BleDeviceConfig[],
  clock: Clock = fixedClock(),
  timing: BleSourceOptions["timing"] = {},
): Promise<FakeBluezRig> {
  const daemon = await startDbusDaemon();
  try {
    const bluez = await FakeBluez.start(daemon.address, world);
    const source = new BleSource({ busAddress: daemon.address, devices, reconnect: TEST_BACKOFF, timing: { ...TEST_TIMING, ...timing } }, clock);
    const rig: FakeBluezRig = {
      source,
      daemon,
      bluez,
      notify: (address, uuid16, bytes) => {
        if (!rig.bluez.notify(address, uuid16, bytes)) return Promise.reject(new Error(`fake BlueZ: nobody subscribed to ${uuid16} on ${address}`));
        return Promise.resolve();
      },
      dropLink: (address) => Promise.resolve(rig.bluez.dropLink(address)),
      close: async () => {
        try {
          await source.stop();
          await rig.bluez.stop();
        } finally {
          await daemon.stop();
        }
      },
    };
    return rig;
  } catch (e) {
    await daemon.stop();
    throw e;
  }
}
