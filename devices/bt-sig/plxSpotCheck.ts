import { dateTimeIso, defineDriver, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";
import { PULSE, SPO2, statusAndPai } from "./_plx.js";

// Wire contract: PLX Spot-check Measurement, characteristic 0x2A5E (Pulse Oximeter Service 1.0 §3.1; GSS §3.167)
//   byte 0      flags: bit0 time stamp · bit1 measurement status · bit2 device and sensor status
//                      bit3 pulse amplitude index · bit4 device clock not set · bits5-7 reserved
//   bytes 1-2   SpO2 (%), SFLOAT
//   bytes 3-4   pulse rate (/min), SFLOAT
//   next 7      time stamp, Date Time                        if bit0
//   next 2      measurement status, uint16 LE                if bit1 (bits 0-4 reserved)
//   next 3      device and sensor status, uint24 LE          if bit2
//   next 2      pulse amplitude index (%), SFLOAT            if bit3  → perfusion_index
export const driver = defineDriver({
  id: "bt-sig.plx-spot-check",
  name: "PLX Spot-check Measurement (0x2A5E)",
  match: { gatt: "2a5e" },
  decode(r) {
    const f = r.flags8("flags", { time: 0, status: 1, sensor: 2, pai: 3, clockNotSet: 4 }, 0xe0); // PLXS §3.1.1.1
    const out = output();
    out.medfloat("spo2", r.sfloat("spo2", SPO2), "spo2", "%");
    out.medfloat("pulse_rate", r.sfloat("pulse_rate", PULSE), "pulse_rate", "/min");
    if (f.time) out.field("timestamp", dateTimeIso(r.dateTime("time_stamp")));
    if (f.clockNotSet) out.field("device_clock_set", false);
    statusAndPai(r, out, f);
    return out.done();
  },
});

export const vectors: DriverVector[] = [
  {
    name: "94 %, 147 /min, time, status, sensor, PAI 8.70 (SpeziBluetooth PLX spot-check)",
    hex: "0f acf3 bef5 e8070b1d170839 2040 220000 66e3",
    expect: {
      // questionable_measurement and equipment_malfunction: kept, flagged as artifacts (issue 12).
      readings: [
        { vital: "spo2", value: 94, unit: "%", precision: 1, artifact: "measurement status: questionable_measurement" },
        { vital: "pulse_rate", value: 147, unit: "/min", artifact: "measurement status: questionable_measurement" },
        { vital: "perfusion_index", value: 8.7, unit: "%", precision: 2, artifact: "measurement status: questionable_measurement" },
      ],
      fields: {
        timestamp: "2024-11-29T23:08:57",
        measurement_status: { raw: 0x4020, flags: ["measurement_ongoing", "questionable_measurement"] },
        device_and_sensor_status: { raw: 0x22, flags: ["equipment_malfunction", "low_perfusion"] },
      },
    },
  },
  {
    name: "measurement unavailable: no reading",
    hex: "02 ff07 ff07 0020",
    expect: { readings: [], fields: { spo2: "NaN", measurement_status: { flags: ["measurement_unavailable"] } } },
  },
];

export const mustFail: MustFailVector[] = [
  { name: "SpO2 above 100 %", hex: "00 6500 4800", error: "'spo2' at offset 1" },
  { name: "reserved flag bits", hex: "20 6200 4800", error: "reserved" },
  { name: "status flag, status missing", hex: "02 6200 4800", error: "measurement_status" },
];
