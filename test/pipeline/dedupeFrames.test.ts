import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import type { DecodedValue, FrameSource } from "../../src/core/model.js";
import type { DecodedFrame } from "../../src/core/pipeline/decodeFrames.js";
import { dedupeFrames } from "../../src/core/pipeline/dedupeFrames.js";
import { decodeHex } from "../../src/core/decode/vectors.js";
import { driver as miScale } from "../../devices/xiaomi/miScale.js";

const scheduler = () => new TestScheduler((a, e) => expect(a).toEqual(e));
const T0 = 1_764_000_000_000;

function heard(deviceId: string, source: FrameSource, atMs: number, values: DecodedValue[], fields: Record<string, unknown> = {}, via = "home/A/BTtoMQTT"): DecodedFrame {
  return { frame: { deviceId, source, channel: via, bytes: new Uint8Array(), receivedAt: T0 + atMs }, driverId: "d", values, fields };
}
const hr = (value: number): DecodedValue[] => [{ vital: "heart_rate", value, unit: "/min" }];
const kg = (value: number): DecodedValue[] => [{ vital: "body_weight", value, unit: "kg" }];

describe("dedupeFrames", () => {
  it("counts a Polar H10 advert heard by two bridges and the hub's radio once; a new value always passes", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const f = {
        a: heard("a0b1c2d3e4f5", "mqtt:bridge", 0, hr(70)), //                 bridge A
        b: heard("a0b1c2d3e4f5", "mqtt:bridge", 300, hr(70), {}, "home/B/BTtoMQTT"), // bridge B, same advert
        c: heard("a0b1c2d3e4f5", "ble:adv", 900, hr(70)), //                    the hub's own radio
        d: heard("a0b1c2d3e4f5", "mqtt:bridge", 1000, hr(72)), //               a different value
        e: heard("ffeeddccbbaa", "mqtt:bridge", 1100, hr(70)), //               another strap, same value
      };
      expectObservable(cold("abcde|", f).pipe(dedupeFrames())).toBe("a--de|", f);
    });
  });

  it("a steady value still passes once per window, counted from the last accepted one (no starvation)", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const f = Object.fromEntries([..."abcdefghijk"].map((k, i) => [k, heard("strap", "mqtt:adv", i * 1000, hr(64))]));
      // 0 s accepted; 1-4 s repeats; 5 s accepted; 6-9 s repeats; 10 s accepted
      expectObservable(cold("abcdefghijk|", f).pipe(dedupeFrames({ windowMs: 5000, stampHorizonMs: 600_000, maxKeys: 100 }))).toBe("a----f----k|", f);
    });
  });

  it("keys a Xiaomi scale's re-advertised weighing on the scale's own clock, beyond the window", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const f = {
        a: heard("scale", "mqtt:bridge", 0, kg(61.75), { timestamp: "2022-02-14T16:41:58" }),
        b: heard("scale", "mqtt:bridge", 30_000, kg(61.75), { timestamp: "2022-02-14T16:41:58" }, "home/B/BTtoMQTT"), // same weighing, 30 s later
        c: heard("scale", "mqtt:bridge", 40_000, kg(61.75), { timestamp: "2022-02-14T16:42:38" }), // weighed again: same weight, new clock
        d: heard("scale", "mqtt:bridge", 700_000, kg(61.75), { timestamp: "2022-02-14T16:42:38" }), // stopped clock: past the horizon it counts
      };
      expectObservable(cold("abcd|", f).pipe(dedupeFrames())).toBe("a-cd|", f);
    });
  });

  it("leaves GATT and JSON readings alone: one path, every repeat is a reading", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const f = { a: heard("strap", "ble:gatt", 0, hr(70)), b: heard("strap", "ble:gatt", 100, hr(70)), j: heard("mon", "mqtt:json", 200, hr(70)), k: heard("mon", "mqtt:json", 300, hr(70)) };
      expectObservable(cold("abjk|", f).pipe(dedupeFrames())).toBe("abjk|", f);
    });
  });

  it("drops only the repeated values of a frame that also carries a new one", () => {
    const both: DecodedValue[] = [...kg(72.45), { vital: "impedance", value: 503, unit: "Ohm" }];
    scheduler().run(({ cold, expectObservable }) => {
      const f = { a: heard("s", "mqtt:adv", 0, kg(72.45)), b: heard("s", "mqtt:adv", 100, both) };
      expectObservable(cold("ab|", f).pipe(dedupeFrames())).toBe("ab|", { a: f.a, b: { ...f.b, values: [both[1]] } });
    });
  });

  it("forgets the oldest values past maxKeys (bounded memory)", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const f = { a: heard("s", "mqtt:adv", 0, hr(60)), b: heard("s", "mqtt:adv", 10, hr(61)), c: heard("s", "mqtt:adv", 20, hr(62)), d: heard("s", "mqtt:adv", 30, hr(60)) };
      expectObservable(cold("abcd|", f).pipe(dedupeFrames({ windowMs: 5000, stampHorizonMs: 1, maxKeys: 2 }))).toBe("abcd|", f);
    });
  });
});

describe("dedupeFrames with the real Xiaomi scale driver (issue 12)", () => {
  // The same weighing (scale clock 2022-02-14T16:41:58) while standing (0x22), then "weight removed" (0xa2).
  const frame = (hex: string, atMs: number): DecodedFrame => {
    const out = decodeHex(miScale, hex);
    return { frame: { deviceId: "scale-1", source: "ble:adv", channel: "service_data:181d", bytes: new Uint8Array(), receivedAt: T0 + atMs }, driverId: miScale.id, values: out.readings, fields: out.fields };
  };
  const standing = "22 3e30 e607020e10293a";
  const removed = "a2 3e30 e607020e10293a";

  it("a gateway that came into range late records the weighing from the 'weight removed' frame alone", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const f = { r: frame(removed, 0), s: frame(removed, 20_000) };
      expect(f.r.values).toEqual([{ vital: "body_weight", value: 61.75, unit: "kg", precision: 3 }]);
      expectObservable(cold("rs|", f).pipe(dedupeFrames())).toBe("r-|", f);
    });
  });

  it("after the standing frames were heard, the 'weight removed' frame of the same weighing is a repeat", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const f = { a: frame(standing, 0), b: frame(standing, 8_000), r: frame(removed, 15_000) };
      expectObservable(cold("abr|", f).pipe(dedupeFrames())).toBe("a--|", f);
    });
  });
});
