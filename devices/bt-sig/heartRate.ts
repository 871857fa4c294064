import { defineDriver, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Heart Rate Measurement, characteristic 0x2A37 (Bluetooth SIG Heart Rate Service 1.0 §3.1; GSS §3.113)
//   byte 0   flags: bit0 value format (0 = uint8, 1 = uint16) · bits1-2 sensor contact status
//                   bit3 energy expended present · bit4 RR-interval(s) present · bits5-7 reserved
//   next     heart rate, uint8 or uint16 LE (beats per minute)
//   next     energy expended, uint16 LE (kJ, cumulative)              if bit3
//   rest     RR-interval, uint16 LE × n, resolution 1/1024 s          if bit4 (at least one)
export const driver = defineDriver({
  id: "bt-sig.heart-rate",
  name: "Heart Rate Measurement (0x2A37)",
  match: { gatt: "2a37" },
  decode(r) {
    const f = r.flags8("flags", { u16: 0, contactDetected: 1, contactSupported: 2, energy: 3, rr: 4 }, 0xe0); // HRS §3.1.1.1
    const out = output();
    const heartRate = f.u16 ? r.u16le("heart_rate") : r.u8("heart_rate");
    out.reading("heart_rate", "heart_rate", heartRate, "/min");
    // Sensor contact: 0b0x not supported, 0b10 supported but not detected, 0b11 detected (HRS §3.1.1.1).
    out.field("sensor_contact", f.contactSupported ? (f.contactDetected ? "detected" : "not_detected") : "not_supported");
    if (f.energy) out.reading("energy_expended", "energy_expended", r.u16le("energy_expended"), "kJ");
    if (f.rr) {
      const rr: number[] = [];
      // At least one interval must follow the flag, and intervals come in whole uint16s.
      do rr.push(r.u16le("rr_interval") / 1024);
      while (r.remaining > 0);
      out.field("rr_intervals", rr);
      for (const s of rr) out.also("rr_intervals", "rr_interval", s, "s");
    }
    r.end();
    // Contact supported but not detected: the value is not from skin, so it is no patient reading.
    if (f.contactSupported && !f.contactDetected) out.suppress("sensor contact not detected");
    return out.done();
  },
});

export const vectors: DriverVector[] = [
  {
    name: "uint8 HR, contact detected, one RR (Polar H7 capture)",
    hex: "16 4d 16 03",
    expect: { readings: [{ vital: "heart_rate", value: 77 }, { vital: "rr_interval", value: 0.771484375 }] },
  },
  { name: "uint16 HR, no contact feature", hex: "01 48 00", expect: { readings: [{ vital: "heart_rate", value: 72, unit: "/min" }] } },
  {
    name: "contact supported, not detected: no reading",
    hex: "04 48",
    expect: { readings: [], fields: { sensor_contact: "not_detected", no_reading: { heart_rate: "sensor contact not detected" } } },
  },
  {
    name: "uint16 HR, energy, three RR (Nordic HR test, full)",
    hex: "1f 0101 3201 0100 0201 ffff",
    expect: {
      readings: [
        { vital: "heart_rate", value: 257 },
        { vital: "energy_expended", value: 306, unit: "kJ" },
        { vital: "rr_interval", value: 1 / 1024 },
        { vital: "rr_interval", value: 258 / 1024 },
        { vital: "rr_interval", value: 65535 / 1024 },
      ],
    },
  },
];

export const mustFail: MustFailVector[] = [
  { name: "truncated uint16", hex: "01 48", error: "heart_rate" },
  { name: "empty frame", hex: "", error: "flags" },
  { name: "reserved flag bits", hex: "e0 48", error: "reserved" },
  { name: "odd RR bytes", hex: "10 48 00 04 01", error: "'rr_interval' needs 2 byte(s) at offset 4" },
  { name: "RR flag without RR bytes (Nordic invalid vector)", hex: "17 01 01", error: "rr_interval" },
  { name: "energy flag, energy missing", hex: "08 48", error: "energy_expended" },
];
