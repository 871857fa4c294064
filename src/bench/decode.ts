/**
 * Decode throughput: frames/s through `decodeFrame` with the full driver registry (lookup, flag checks,
 * bounds checks, SFLOAT specials, output builder) for HR, PLX and BP frames, against a hand-written minimal
 * DataView parse of the same frame measured in the same run. The ratio is the price of the safety.
 */
import { driverModules } from "../../devices/index.js";
import { decodeFrame } from "../core/decode/decodeFrame.js";
import { hexToBytes } from "../core/decode/kit.js";
import { DriverRegistry } from "../core/decode/registry.js";
import type { RawFrame } from "../core/model.js";
import { opsPerSecond, type Bench, type BenchFigure } from "./bench.js";

const BATCH = 1000;

/** Minimal parses: no checks beyond what the layout needs; the numbers only. */
const sfloat = (raw: number): number => {
  let m = raw & 0x0fff;
  let e = raw >> 12;
  if (m >= 0x800) m -= 0x1000;
  if (e >= 8) e -= 16;
  return e < 0 ? m / 10 ** -e : m * 10 ** e;
};

export const BASELINES = {
  // 0x2A37: flags, HR u8/u16, optional energy, RR × n
  hr(v: DataView): number[] {
    const f = v.getUint8(0);
    let o = 1;
    const out = [f & 1 ? v.getUint16(o, true) : v.getUint8(o)];
    o += f & 1 ? 2 : 1;
    if (f & 8) {
      out.push(v.getUint16(o, true));
      o += 2;
    }
    if (f & 16) for (; o + 1 < v.byteLength; o += 2) out.push(v.getUint16(o, true) / 1024);
    return out;
  },
  // 0x2A5F: flags, SpO2, PR, fast, slow, status, sensor status, PAI
  plx(v: DataView): number[] {
    const f = v.getUint8(0);
    const out = [sfloat(v.getUint16(1, true)), sfloat(v.getUint16(3, true))];
    let o = f & 1 ? 9 : 5;
    if (f & 2) o += 4;
    if (f & 4) o += 2;
    if (f & 8) o += 3;
    if (f & 16) out.push(sfloat(v.getUint16(o, true)));
    return out;
  },
  // 0x2A35: flags, sys, dia, MAP, time stamp, pulse
  bp(v: DataView): number[] {
    const f = v.getUint8(0);
    const out = [sfloat(v.getUint16(1, true)), sfloat(v.getUint16(3, true)), sfloat(v.getUint16(5, true))];
    const o = f & 2 ? 14 : 7;
    if (f & 4) out.push(sfloat(v.getUint16(o, true)));
    return out;
  },
} as const;

export const FRAMES = {
  hr: { channel: "2a37", hex: "1f 5500 3200 2100 0004" },
  plx: { channel: "2a5f", hex: "1f def3 caf3 caf3 5af5 d4f3 b2f2 2001 000000 7ae3" },
  bp: { channel: "2a35", hex: "1e 8a00 5800 7800 0000041114293b 3c00 01 2700" },
} as const;

export const decodeBench: Bench = {
  name: "decode (frames/s, full registry vs hand-written DataView parse)",
  async run(): Promise<BenchFigure[]> {
    const registry = new DriverRegistry(Object.values(driverModules).map((m) => m.driver));
    const figures: BenchFigure[] = [];
    let sink = 0; // keeps the work observable so the JIT cannot drop it
    for (const key of Object.keys(FRAMES) as (keyof typeof FRAMES)[]) {
      const { channel, hex } = FRAMES[key];
      const bytes = hexToBytes(hex);
      const frame: RawFrame = { deviceId: "bench", source: "mqtt:gatt", channel, bytes, receivedAt: 0 };
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const parse = (view: DataView): number[] => BASELINES[key](view);
      const baseline = opsPerSecond(() => {
        for (let i = 0; i < BATCH; i++) sink += parse(view).length;
      }, 1000, BATCH);
      const value = opsPerSecond(() => {
        for (let i = 0; i < BATCH; i++) {
          const r = decodeFrame(registry, frame);
          if (r.ok) sink += r.values.length;
        }
      }, 1000, BATCH);
      figures.push({ name: `decode ${key.toUpperCase()} ${channel} (${bytes.length} bytes)`, value, unit: "frames/s", baseline: { name: "DataView parse", value: baseline } });
    }
    await Promise.resolve(sink);
    return figures;
  },
};
