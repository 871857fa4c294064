import { bitNames, defineDriver, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: PLX Features, characteristic 0x2A60 (Pulse Oximeter Service 1.0 §3.3)
//   bytes 0-1   supported features, uint16 LE: bit0 measurement status support · bit1 device and sensor status support
//               · bit2 measurement storage · bit3 time stamp · bit4 SpO2PR-Fast · bit5 SpO2PR-Slow
//               · bit6 pulse amplitude index · bit7 multiple bonds · bits8-15 reserved
//   next 2      measurement status support, uint16 LE          if bit0
//   next 3      device and sensor status support, uint24 LE    if bit1
// Capabilities only: fields, no readings.
const FEATURES = ["measurement_status", "device_and_sensor_status", "measurement_storage", "time_stamp", "spo2pr_fast", "spo2pr_slow", "pulse_amplitude_index", "multiple_bonds"];

export const driver = defineDriver({
  id: "bt-sig.plx-features",
  name: "PLX Features (0x2A60)",
  match: { gatt: "2a60" },
  decode(r) {
    const f = r.flags16("supported_features", { status: 0, sensor: 1 }, 0xff00);
    const out = output().field("supported_features", f.raw).field("features", bitNames(f.raw, FEATURES));
    if (f.status) out.field("measurement_status_support", r.u16le("measurement_status_support"));
    if (f.sensor) out.field("device_and_sensor_status_support", r.u24le("device_and_sensor_status_support"));
    r.end();
    return out.done();
  },
});

export const vectors: DriverVector[] = [
  {
    name: "status, sensor status, slow, multiple bonds (SpeziBluetooth PLX features)",
    hex: "a300 4010 800100",
    expect: { readings: [], fields: { supported_features: 163, measurement_status_support: 4160, device_and_sensor_status_support: 384 } },
  },
];

export const mustFail: MustFailVector[] = [
  { name: "status support missing", hex: "0100", error: "measurement_status_support" },
  { name: "reserved feature bits", hex: "0001", error: "reserved" },
];
