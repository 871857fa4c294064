import { dateTimeIso, defineDriver, output, scaled, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Body Composition Measurement, characteristic 0x2A9C (Body Composition Service 1.0 §3.1; GSS §3.26)
//   bytes 0-1   flags, uint16 LE: bit0 unit system (0 SI, 1 imperial) · bit1 time stamp · bit2 user id
//               bit3 basal metabolism · bit4 muscle % · bit5 muscle mass · bit6 fat free mass · bit7 soft lean mass
//               bit8 body water mass · bit9 impedance · bit10 weight · bit11 height · bit12 multiple packet
//               bits13-15 reserved
//   bytes 2-3   body fat, uint16 LE × 0.1 %; 0xFFFF = "Measurement Unsuccessful" (then no other field is valid)
//   then, in flag order: time stamp (Date Time) · user id u8 · basal metabolism u16 kJ · muscle % u16 × 0.1
//   · muscle mass, fat free mass, soft lean mass, body water mass u16 × mass resolution · impedance u16 × 0.1 Ohm
//   · weight u16 × mass resolution · height u16 × 0.001 m or × 0.1 in.   Mass resolution: 0.005 kg or 0.01 lb.
const UNSUCCESSFUL = 0xffff;

export const driver = defineDriver({
  id: "bt-sig.body-composition",
  name: "Body Composition Measurement (0x2A9C)",
  match: { gatt: "2a9c" },
  decode(r) {
    const f = r.flags16(
      "flags",
      { imperial: 0, time: 1, user: 2, bmr: 3, musclePct: 4, muscleMass: 5, fatFree: 6, softLean: 7, water: 8, impedance: 9, weight: 10, height: 11, multi: 12 },
      0xe000, // BCS §3.1.1.1 bits 13-15 reserved
    );
    const out = output();
    const [massUnit, step, places] = f.imperial ? (["[lb_av]", 0.01, 2] as const) : (["kg", 0.005, 3] as const);
    out.field("unit", massUnit);
    const fat = r.u16le("body_fat");
    const unsuccessful = fat === UNSUCCESSFUL;
    if (unsuccessful) out.field("body_fat", "measurement_unsuccessful").suppress("measurement unsuccessful (body fat 0xFFFF)");
    else out.reading("body_fat", "body_fat", scaled(fat, 0.1, 1), "%", 1);
    const mass = (field: string): void => void out.field(field, scaled(r.u16le(field), step, places));
    if (f.time) out.field("timestamp", dateTimeIso(r.dateTime("time_stamp")));
    if (f.user) out.field("user_id", r.u8("user_id"));
    if (f.bmr) out.field("basal_metabolism", r.u16le("basal_metabolism")); // kJ; not a vital of DESIGN §3
    if (f.musclePct) out.field("muscle_percentage", scaled(r.u16le("muscle_percentage"), 0.1, 1));
    if (f.muscleMass) mass("muscle_mass");
    if (f.fatFree) mass("fat_free_mass");
    if (f.softLean) mass("soft_lean_mass");
    if (f.water) mass("body_water_mass");
    if (f.impedance) out.reading("impedance", "impedance", scaled(r.u16le("impedance"), 0.1, 1), "Ohm", 1);
    if (f.weight) out.reading("weight", "body_weight", scaled(r.u16le("weight"), step, places), massUnit, places);
    if (f.height) {
      const h = r.u16le("height");
      if (f.imperial) out.reading("height", "height", scaled(h, 0.1, 1), "[in_i]", 1);
      else out.reading("height", "height", scaled(h, 0.001, 3), "m", 3);
    }
    if (f.multi) out.field("multiple_packet", true);
    r.end();
    return out.done();
  },
});

export const vectors: DriverVector[] = [
  {
    name: "fat 19.4 %, BMR, muscle %, soft lean, water, 452.0 Ohm (real capture, ble-scale-sync)",
    hex: "9803 c200 df1a 9701 cc2f ca21 a811",
    expect: {
      readings: [
        { vital: "body_fat", value: 19.4, unit: "%" },
        { vital: "impedance", value: 452, unit: "Ohm" },
      ],
      fields: { basal_metabolism: 6879, muscle_percentage: 40.7, soft_lean_mass: 61.18, body_water_mass: 43.25, unit: "kg" },
    },
  },
  {
    name: "imperial weight 176.37 [lb_av]",
    hex: "0104 c800 e544",
    expect: { readings: [{ vital: "body_fat", value: 20 }, { vital: "body_weight", value: 176.37, unit: "[lb_av]" }] },
  },
  {
    name: "measurement unsuccessful: no reading at all",
    hex: "0004 ffff 803e",
    expect: { readings: [], fields: { body_fat: "measurement_unsuccessful", weight: 80 } },
  },
];

export const mustFail: MustFailVector[] = [
  { name: "reserved flag bits", hex: "0020 c200", error: "reserved" },
  { name: "one flags byte", hex: "00", error: "flags" },
  { name: "impedance flag, impedance missing", hex: "0002 c200", error: "'impedance' needs 2 byte(s) at offset 4" },
];
