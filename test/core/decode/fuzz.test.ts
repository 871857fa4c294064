/** Property tests: random bytes never make a driver throw anything but a DecodeError, nor hang, nor invent a value. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { driverModules } from "../../../devices/index.js";
import { decodeFrame } from "../../../src/core/decode/decodeFrame.js";
import { ByteReader, floatFromRaw, sfloatFromRaw } from "../../../src/core/decode/kit.js";
import { DriverRegistry } from "../../../src/core/decode/registry.js";
import { DecodeError } from "../../../src/core/errors.js";
import { isUnitOf, type RawFrame } from "../../../src/core/model.js";

const drivers = Object.values(driverModules).map((m) => m.driver);
const registry = new DriverRegistry(drivers);

describe("random bytes", () => {
  it.each(drivers.map((d) => [d.id, d] as const))("%s: only DecodeErrors, finite readings in DESIGN units", (_id, driver) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (bytes) => {
        try {
          const out = driver.decode(new ByteReader(bytes, driver.id));
          for (const r of out.readings) {
            expect(Number.isFinite(r.value)).toBe(true);
            expect(isUnitOf(r.vital, r.unit)).toBe(true);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
          const d = e as DecodeError;
          expect(d.message.startsWith(driver.id)).toBe(true);
          expect(d.field).toBeTypeOf("string");
          expect(d.offset).toBeTypeOf("number");
          expect(d.offset!).toBeLessThanOrEqual(bytes.length);
        }
      }),
      { numRuns: 400 },
    );
  });

  it.each(drivers.map((d) => [d.id, d] as const))("%s: valid flags with random bodies decode or fail cleanly", (_id, driver) => {
    // Bias towards the flag patterns real frames carry: a small first byte, then a long body.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x1f }), fc.uint8Array({ minLength: 0, maxLength: 40 }), (flag, body) => {
        const bytes = Uint8Array.from([flag, ...body]);
        const result = decodeFrame(registry, frameFor(driver.match, bytes));
        if (!result.ok) expect(result.error).toBeInstanceOf(DecodeError);
      }),
      { numRuns: 300 },
    );
  });

  it("decodeFrame never throws, whatever the source and channel", () => {
    const sources = ["ble:gatt", "mqtt:gatt", "ble:adv", "mqtt:adv", "mqtt:json", "mqtt:bridge"] as const;
    fc.assert(
      fc.property(fc.constantFrom(...sources), fc.string({ maxLength: 24 }), fc.uint8Array({ maxLength: 32 }), (source, channel, bytes) => {
        const r = decodeFrame(registry, { deviceId: "d", source, channel, bytes, receivedAt: 0 });
        if (!r.ok) expect(r.error).toBeInstanceOf(DecodeError);
      }),
      { numRuns: 500 },
    );
  });
});

describe("IEEE 11073 numbers", () => {
  it("every SFLOAT is a finite value or one of the five specials, and encodes back", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (raw) => {
        const m = sfloatFromRaw(raw);
        if (m.kind !== "value") return expect([0x07ff, 0x0800, 0x07fe, 0x0802, 0x0801]).toContain(raw);
        let e = raw >> 12;
        let mant = raw & 0xfff;
        if (e >= 8) e -= 16;
        if (mant >= 0x800) mant -= 0x1000;
        expect(m.value).toBeCloseTo(mant * 10 ** e, 10);
        expect(m.precision).toBe(Math.max(0, -e));
      }),
    );
  });

  it("every FLOAT is finite or special", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (raw) => {
        const m = floatFromRaw(raw);
        if (m.kind === "value") expect(Number.isFinite(m.value)).toBe(true);
        else expect([0x007fffff, 0x00800000, 0x007ffffe, 0x00800002, 0x00800001]).toContain(raw);
      }),
    );
  });
});

function frameFor(match: { gatt?: string; serviceData?: string; manufacturerId?: number }, bytes: Uint8Array): RawFrame {
  const base = { deviceId: "fuzz", receivedAt: 0, bytes };
  if (match.gatt) return { ...base, source: "mqtt:gatt", channel: match.gatt };
  if (match.serviceData) return { ...base, source: "ble:adv", channel: `service_data:${match.serviceData}` };
  const id = match.manufacturerId ?? 0;
  return { ...base, source: "ble:adv", channel: "manufacturer_data", bytes: Uint8Array.from([id & 0xff, id >> 8, ...bytes]) };
}
