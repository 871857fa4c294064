import { dateTimeIso, defineDriver, output, scaled, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Weight Measurement, characteristic 0x2A9D (Weight Scale Service 1.0 §3.1; GSS §3.252)
//   byte 0      flags: bit0 unit system (0 = SI kg/m, 1 = imperial [lb_av]/[in_i]) · bit1 time stamp
//                      bit2 user id · bit3 BMI and height · bits4-7 reserved
//   bytes 1-2   weight, uint16 LE × 0.005 kg or × 0.01 lb; 0xFFFF = "Measurement Unsuccessful"
//   next 7      time stamp, Date Time                    if bit1
//   next 1      user id (0xFF = unknown user)            if bit2
//   next 2      BMI, uint16 LE × 0.1 kg/m2               if bit3
//   next 2      height, uint16 LE × 0.001 m or × 0.1 in  if bit3
// Resolutions are the defaults; a scale announcing a coarser one in Weight Scale Feature (0x2A9E) needs its own driver.
const UNSUCCESSFUL = 0xffff;

export const driver = defineDriver({
  id: "bt-sig.weight",
  name: "Weight Measurement (0x2A9D)",
  match: { gatt: "2a9d" },
  decode(r) {
    const f = r.flags8("flags", { imperial: 0, time: 1, user: 2, bmi: 3 }, 0xf0); // WSS §3.1.1.1
    const out = output();
    const [massUnit, step, places] = f.imperial ? (["[lb_av]", 0.01, 2] as const) : (["kg", 0.005, 3] as const);
    out.field("unit", massUnit);
    const weight = r.u16le("weight");
    if (weight === UNSUCCESSFUL) out.field("weight", "measurement_unsuccessful").noReading("weight", "measurement unsuccessful (0xFFFF)");
    else out.reading("weight", "body_weight", scaled(weight, step, places), massUnit, places);
    if (f.time) out.field("timestamp", dateTimeIso(r.dateTime("time_stamp")));
    if (f.user) {
      const user = r.u8("user_id");
      out.field("user_id", user === 0xff ? "unknown" : user);
    }
    if (f.bmi) {
      out.reading("bmi", "bmi", scaled(r.u16le("bmi"), 0.1, 1), "kg/m2", 1);
      const height = r.u16le("height");
      if (f.imperial) out.reading("height", "height", scaled(height, 0.1, 1), "[in_i]", 1);
      else out.reading("height", "height", scaled(height, 0.001, 3), "m", 3);
    }
    r.end();
    return out.done();
  },
});

export const vectors: DriverVector[] = [
  {
    name: "79.96 kg, time, user 1, BMI 23.8, 1.830 m (Beurer BF788 capture, ble-scale-sync)",
    hex: "0e 783e ea07050c123536 01 ee00 2607",
    expect: {
      readings: [
        { vital: "body_weight", value: 79.96, unit: "kg", precision: 3 },
        { vital: "bmi", value: 23.8, unit: "kg/m2" },
        { vital: "height", value: 1.83, unit: "m" },
      ],
      fields: { timestamp: "2026-05-12T18:53:54", user_id: 1 },
    },
  },
  { name: "157 [lb_av]", hex: "01 543d", expect: { readings: [{ vital: "body_weight", value: 157, unit: "[lb_av]" }] } },
  {
    name: "measurement unsuccessful: no reading",
    hex: "00 ffff",
    expect: { readings: [], fields: { weight: "measurement_unsuccessful", no_reading: { weight: "measurement unsuccessful (0xFFFF)" } } },
  },
];

export const mustFail: MustFailVector[] = [
  { name: "BMI flag, height missing", hex: "08 783e ee00", error: "'height' needs 2 byte(s) at offset 5" },
  { name: "reserved flag bits", hex: "10 783e", error: "reserved" },
  { name: "one weight byte", hex: "00 78", error: "weight" },
];
