import { TestScheduler } from "rxjs/testing";
import { expect, it } from "vitest";
import { linkConditions } from "../../../src/adapters/ble/linkConditions.js";
import type { DeviceStatus, LinkState } from "../../../src/adapters/ble/status.js";

const st = (state: LinkState, deviceId = "d1", lastError?: string): DeviceStatus => ({
  address: "AA:BB:CC:DD:EE:FF", deviceId, state, since: 0, channels: [], failures: 0, ...(lastError === undefined ? {} : { lastError }),
});
const down = (id: string, why?: string) => ({ deviceId: id, condition: { name: `ble_link:${id}`, present: true, message: `Bluetooth sensor ${id} not connected${why ? ` (${why})` : ""}` } });
const up = (id: string) => ({ deviceId: id, condition: { name: `ble_link:${id}`, present: false, message: `Bluetooth sensor ${id} connected` } });

it("emits a device's condition only when it flips; devices are independent; shutdown emits nothing", () => {
  const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
  ts.run(({ hot, expectObservable }) => {
    const values = {
      c: st("connecting"), u: st("connected"), d: st("disconnected", "d1", "link lost"), r: st("connecting", "d1", "link lost"), s: st("stopped"),
      C: st("connecting", "d2"), U: st("connected", "d2"), S: st("stopped", "d2"),
    };
    // states:     c C u d r U u s S |
    // conditions: a b c d - e f - - |   (r keeps d1 down; stopped is silent)
    expectObservable(hot("cCudrUusS|", values).pipe(linkConditions())).toBe("abcd-ef--|", {
      a: down("d1"), b: down("d2"), c: up("d1"), d: down("d1", "link lost"), e: up("d2"), f: up("d1"),
    });
  });
});
