/** The decode bench compares like with like: its DataView baselines read the same numbers the drivers do. */
import { describe, expect, it } from "vitest";
import { driverModules } from "../../../devices/index.js";
import { BASELINES, FRAMES } from "../../../src/bench/decode.js";
import { decodeFrame } from "../../../src/core/decode/decodeFrame.js";
import { hexToBytes } from "../../../src/core/decode/kit.js";
import { DriverRegistry } from "../../../src/core/decode/registry.js";

const registry = new DriverRegistry(Object.values(driverModules).map((m) => m.driver));

describe("decode bench frames", () => {
  it.each(Object.keys(FRAMES) as (keyof typeof FRAMES)[])("%s: baseline and driver agree", (key) => {
    const bytes = hexToBytes(FRAMES[key].hex);
    const r = decodeFrame(registry, { deviceId: "b", source: "mqtt:gatt", channel: FRAMES[key].channel, bytes, receivedAt: 0 });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.values.map((v) => v.value)).toEqual(BASELINES[key](new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
  });
});
