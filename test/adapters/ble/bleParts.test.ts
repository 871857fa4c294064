/** The pure parts of the BLE adapter: UUIDs and ids, backoff, link states, bounded awaits. */
import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../../src/adapters/ble/backoff.js";
import { Lifetime, Stopped, withTimeout } from "../../../src/adapters/ble/lifetime.js";
import { isLost, LINK_STATES } from "../../../src/adapters/ble/status.js";
import { deviceIdOf, HEALTH_CHARACTERISTICS, isAddress, uuid128Of, uuid16Of } from "../../../src/adapters/ble/uuids.js";
import { driverModules } from "../../../devices/index.js";

describe("BLE UUIDs and ids", () => {
  it("reduces SIG base UUIDs to 16 bits and leaves vendor UUIDs alone", () => {
    expect(uuid16Of("00002A37-0000-1000-8000-00805F9B34FB")).toBe("2a37");
    expect(uuid16Of("6e400003-b5a3-f393-e0a9-e50e24dcca9e")).toBeUndefined(); // Nordic UART, not SIG
    expect(uuid16Of(uuid128Of("2A5F"))).toBe("2a5f");
  });

  it("derives the device id from the address and checks addresses", () => {
    expect(deviceIdOf("C0:FF:EE:00:11:22")).toBe("c0ffee001122");
    expect(isAddress("c0:ff:ee:00:11:22")).toBe(true);
    expect(isAddress("C0:FF:EE:00:11")).toBe(false);
    expect(isAddress("C0-FF-EE-00-11-22")).toBe(false);
  });

  it("subscribes by default to exactly the characteristics a shipped driver decodes", () => {
    const decoded = new Set(Object.values(driverModules).map((m) => m.driver.match.gatt?.toLowerCase()));
    expect(HEALTH_CHARACTERISTICS.filter((c) => !decoded.has(c))).toEqual([]);
  });
});

describe("reconnect backoff", () => {
  it("waits initialMs after a clean loss, doubles per failure and stops at maxMs", () => {
    const b = { initialMs: 1000, maxMs: 60_000 };
    expect([0, 1, 2, 3, 6, 7, 1000].map((n) => backoffDelay(n, b))).toEqual([1000, 1000, 2000, 4000, 32_000, 60_000, 60_000]);
  });
});

describe("link states", () => {
  it("counts connecting and disconnected as lost, connected and stopped not", () => {
    expect(LINK_STATES.filter(isLost)).toEqual(["connecting", "disconnected"]);
  });
});

describe("bounded awaits", () => {
  it("withTimeout passes a value through and names what timed out", async () => {
    await expect(withTimeout(Promise.resolve(7), 1000, "x")).resolves.toBe(7);
    await expect(withTimeout(new Promise(() => undefined), 5, "Connect")).rejects.toThrow("Connect timed out after 5 ms");
  });

  it("a stopped Lifetime rejects in-flight and later runs with Stopped, and wakes sleepers", async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((h) => h === "Timeout").length;
    const baseline = timers();
    const life = new Lifetime();
    const hung = life.run(new Promise(() => undefined), 60_000, "gatt()");
    const sleeping = life.sleep(60_000);
    life.stop();
    await expect(hung).rejects.toBeInstanceOf(Stopped);
    await expect(sleeping).resolves.toBeUndefined();
    await expect(life.run(Promise.resolve(1), 1000, "later")).rejects.toBeInstanceOf(Stopped);
    expect(timers()).toBeLessThanOrEqual(baseline); // the 60 s bounds died with stop()
  });
});
