import { defineDriver, medfloatJson, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";
import { PULSE, SPO2, statusAndPai } from "./_plx.js";

// Wire contract: PLX Continuous Measurement, characteristic 0x2A5F (Pulse Oximeter Service 1.0 §3.2; GSS §3.166)
//   byte 0      flags: bit0 SpO2PR-Fast · bit1 SpO2PR-Slow · bit2 measurement status · bit3 device and sensor status
//                      bit4 pulse amplitude index · bits5-7 reserved
//   bytes 1-2   SpO2PR-Normal SpO2 (%), SFLOAT        → spo2
//   bytes 3-4   SpO2PR-Normal pulse rate (/min), SFLOAT → pulse_rate
//   next 4      SpO2PR-Fast SpO2, PR (2 × SFLOAT)       if bit0 (fields only)
//   next 4      SpO2PR-Slow SpO2, PR (2 × SFLOAT)       if bit1 (fields only)
//   next 2      measurement status, uint16 LE           if bit2
//   next 3      device and sensor status, uint24 LE     if bit3
//   next 2      pulse amplitude index (%), SFLOAT       if bit4  → perfusion_index
export const driver = defineDriver({
  id: "bt-sig.plx-continuous",
  name: "PLX Continuous Measurement (0x2A5F)",
  match: { gatt: "2a5f" },
  decode(r) {
    const f = r.flags8("flags", { fast: 0, slow: 1, status: 2, sensor: 3, pai: 4 }, 0xe0); // PLXS §3.2.1.1
    const out = output();
    out.medfloat("spo2", r.sfloat("spo2", SPO2), "spo2", "%");
    out.medfloat("pulse_rate", r.sfloat("pulse_rate", PULSE), "pulse_rate", "/min");
    // Fast and slow averages are other views of the same signal: kept as fields, so one pulse is not three readings.
    if (f.fast) out.field("spo2_fast", medfloatJson(r.sfloat("spo2_fast", SPO2))).field("pulse_rate_fast", medfloatJson(r.sfloat("pulse_rate_fast", PULSE)));
    if (f.slow) out.field("spo2_slow", medfloatJson(r.sfloat("spo2_slow", SPO2))).field("pulse_rate_slow", medfloatJson(r.sfloat("pulse_rate_slow", PULSE)));
    statusAndPai(r, out, f);
    return out.done();
  },
});

export const vectors: DriverVector[] = [
  {
    name: "SpO2 100.0 %, PR 90.0 (SpeziBluetooth PLX continuous)",
    hex: "00 e8f3 84f3",
    expect: { readings: [{ vital: "spo2", value: 100, unit: "%", precision: 1 }, { vital: "pulse_rate", value: 90, unit: "/min" }] },
  },
  {
    name: "full: fast, slow, status, sensor, PAI (SpeziBluetooth full coding)",
    hex: "1f def3 caf3 caf3 5af5 d4f3 b2f2 2001 000000 7ae3",
    expect: {
      readings: [{ vital: "spo2", value: 99 }, { vital: "pulse_rate", value: 97 }, { vital: "perfusion_index", value: 8.9 }],
      fields: { spo2_fast: 97, pulse_rate_fast: 137, spo2_slow: 98, pulse_rate_slow: 69, measurement_status: { raw: 0x120, flags: ["measurement_ongoing", "fully_qualified_data"] } },
    },
  },
  {
    name: "sensor disconnected: no reading",
    hex: "08 6200 4800 008000",
    expect: { readings: [], fields: { device_and_sensor_status: { flags: ["sensor_disconnected"] } } },
  },
];

export const mustFail: MustFailVector[] = [
  { name: "fast flag, fast values missing", hex: "01 6200 4800", error: "spo2_fast" },
  { name: "reserved flag bits", hex: "80 6200 4800", error: "reserved" },
  { name: "SpO2 -5 %", hex: "00 fb0f 4800", error: "outside 0..100" },
  { name: "truncated pulse rate", hex: "00 6200 48", error: "pulse_rate" },
];
