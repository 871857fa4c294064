import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { sensorLost } from "../../../src/adapters/ble/sensorLost.js";
import type { DeviceStatus, LinkState } from "../../../src/adapters/ble/status.js";

const testScheduler = () => new TestScheduler((a, e) => expect(a).toEqual(e));
const st = (state: LinkState, deviceId = "d1", lastError?: string): DeviceStatus => ({
  address: "AA:BB:CC:DD:EE:FF", deviceId, state, since: 0, channels: [], failures: 0, ...(lastError === undefined ? {} : { lastError }),
});
const values = {
  c: st("connecting"), u: st("connected"), d: st("disconnected", "d1", "link lost"), r: st("connecting", "d1", "link lost"), s: st("stopped"),
  C: st("connecting", "d2"), U: st("connected", "d2"),
};

describe("sensorLost (grace 10 ms)", () => {
  it("a reconnect inside the grace raises nothing; staying down raises lost once, then restored", () => {
    const ts = testScheduler();
    ts.run(({ hot, expectObservable }) => {
      // states:  c u d r u ---- d r 20ms u   (r: reconnecting, still carrying the last error)
      // events:  the first outage is 2 ms long: nothing; the second (from 9 ms) lasts 22 ms: lost at 19, restored on u at 31
      const source = hot("cudru----dr 20ms u|", values);
      expectObservable(source.pipe(sensorLost(10, ts))).toBe("19ms L 11ms R|", {
        L: { deviceId: "d1", kind: "lost", reason: "link lost" },
        R: { deviceId: "d1", kind: "restored" },
      });
    });
  });

  it("a sensor that never connects is lost after the grace; devices are independent", () => {
    const ts = testScheduler();
    ts.run(({ hot, expectObservable }) => {
      const source = hot("cC--U 20ms |", values);
      expectObservable(source.pipe(sensorLost(10, ts))).toBe("10ms L 14ms |", { L: { deviceId: "d1", kind: "lost" } });
    });
  });

  it("shutdown (stopped) cancels a pending loss and never claims a restore", () => {
    const ts = testScheduler();
    ts.run(({ hot, expectObservable }) => {
      const source = hot("ud-s 20ms |", values);
      expectObservable(source.pipe(sensorLost(10, ts))).toBe("---- 20ms |");
    });
  });
});
