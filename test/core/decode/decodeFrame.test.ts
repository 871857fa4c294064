import { describe, expect, it } from "vitest";
import { driverModules } from "../../../devices/index.js";
import { decodeFrame } from "../../../src/core/decode/decodeFrame.js";
import { defineDriver } from "../../../src/core/decode/driver.js";
import { hexToBytes } from "../../../src/core/decode/kit.js";
import { DriverRegistry } from "../../../src/core/decode/registry.js";
import type { RawFrame } from "../../../src/core/model.js";

const registry = new DriverRegistry(Object.values(driverModules).map((m) => m.driver));
const frame = (source: RawFrame["source"], channel: string, hex: string): RawFrame => ({ deviceId: "dev-1", source, channel, bytes: hexToBytes(hex), receivedAt: 1 });

describe("decodeFrame with every driver", () => {
  it("routes GATT frames over BLE and MQTT by characteristic", () => {
    for (const source of ["ble:gatt", "mqtt:gatt"] as const) {
      const r = decodeFrame(registry, frame(source, "2A5F", "00e8f384f3"));
      expect(r).toMatchObject({ ok: true, driverId: "bt-sig.plx-continuous", values: [{ vital: "spo2", value: 100 }, { vital: "pulse_rate", value: 90 }] });
    }
  });

  it("routes advertisements by service data UUID and by manufacturer id", () => {
    expect(decodeFrame(registry, frame("ble:adv", "service_data:181d", "223e30e607020e10293a"))).toMatchObject({ ok: true, driverId: "xiaomi.mi-scale" });
    expect(decodeFrame(registry, frame("ble:adv", "manufacturer_data", "6b003b164446"))).toMatchObject({ ok: true, driverId: "polar.h10", values: [{ value: 70 }] });
  });

  it("an unknown characteristic is a decode_unknown_source error value, not a throw", () => {
    const r = decodeFrame(registry, frame("ble:gatt", "2a99", "00"));
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.error.code, r.error.message]).toEqual(["decode_unknown_source", "no driver for ble:gatt channel '2a99'"]);
  });

  it("a malformed frame is an error value naming driver, field and offset", () => {
    const r = decodeFrame(registry, frame("mqtt:gatt", "2a35", "1e8a005800"));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: "decode_truncated", driverId: "bt-sig.blood-pressure", field: "mean_arterial_pressure", offset: 5 });
  });

  it("a driver that throws a plain Error is named as the culprit", () => {
    const broken = defineDriver({ id: "acme.broken", name: "broken", match: { gatt: "ffe1" }, decode: () => { throw new TypeError("oops"); } });
    const r = decodeFrame(new DriverRegistry([broken]), frame("ble:gatt", "ffe1", "00"));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe("acme.broken: driver threw oops");
  });
});
