import { defineDriver, flags, type DecodedValue, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Heart Rate Measurement, characteristic 0x2A37 (Bluetooth SIG Heart Rate Service 1.0, §3.1)
//   byte 0   flags: bit0 value format (0 = uint8, 1 = uint16) · bits1-2 sensor contact status
//                   bit3 energy expended present · bit4 RR-interval(s) present · bits5-7 reserved
//   next     heart rate, uint8 or uint16 LE (beats per minute)
//   next     energy expended, uint16 LE (kJ)                          if bit3
//   rest     RR-interval, uint16 LE × n, resolution 1/1024 s          if bit4
export const driver = defineDriver({
  id: "bt-sig.heart-rate",
  name: "Heart Rate Measurement (0x2A37)",
  match: { gatt: "2a37" },
  decode(r) {
    const flagsAt = r.offset;
    const f = flags(r.u8("flags"), { u16: 0, contactSupported: 2, contactDetected: 1, energy: 3, rr: 4 });
    if (r.bytes[flagsAt]! & 0xe0) r.fail("decode_reserved", "flags", flagsAt, "reserved bits 5-7 set"); // HRS §3.1.1.1
    const heartRate = f.u16 ? r.u16le("heart_rate") : r.u8("heart_rate");
    const energy = f.energy ? r.u16le("energy_expended") : undefined;
    const rr: number[] = [];
    if (f.rr) {
      if (r.remaining === 0 || r.remaining % 2 !== 0) r.u16le("rr_interval"); // fails with the offset
      while (r.remaining > 0) rr.push(r.u16le("rr_interval") / 1024);
    }
    r.end();
    // Contact supported but not detected: the value is not from skin, so it is no patient reading.
    const offBody = f.contactSupported && !f.contactDetected;
    const readings: DecodedValue[] = offBody
      ? []
      : [
          { vital: "heart_rate", value: heartRate, unit: "/min" },
          ...(energy === undefined ? [] : [{ vital: "energy_expended", value: energy, unit: "kJ" } as const]),
          ...rr.map((s) => ({ vital: "rr_interval", value: s, unit: "s" }) as const),
        ];
    return {
      readings,
      fields: {
        heart_rate: heartRate,
        sensor_contact: f.contactSupported ? (f.contactDetected ? "detected" : "not_detected") : "unsupported",
        ...(energy === undefined ? {} : { energy_expended: energy }),
        ...(rr.length ? { rr_intervals: rr } : {}),
        ...(offBody ? { no_reading: "sensor contact not detected" } : {}),
      },
    };
  },
});

export const vectors: DriverVector[] = [
  {
    name: "uint8 HR, contact detected, one RR (Polar H7 capture)",
    hex: "16 4d 16 03",
    expect: { readings: [{ vital: "heart_rate", value: 77 }, { vital: "rr_interval", value: 0.771484375 }] },
  },
  { name: "uint16 HR, no contact feature", hex: "01 48 00", expect: { readings: [{ vital: "heart_rate", value: 72 }] } },
  { name: "contact supported, not detected: no reading", hex: "04 48", expect: { readings: [], fields: { sensor_contact: "not_detected" } } },
];

export const mustFail: MustFailVector[] = [
  { name: "truncated uint16", hex: "01 48", error: "heart_rate" },
  { name: "empty frame", hex: "", error: "flags" },
  { name: "reserved flag bits", hex: "e0 48", error: "reserved" },
  { name: "odd RR bytes", hex: "10 48 01", error: "rr_interval" },
];
