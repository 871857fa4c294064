import { bitNames, dateTimeIso, defineDriver, output, type ByteReader, type DecodeOutput, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Blood Pressure Measurement, characteristic 0x2A35 (Blood Pressure Service 1.0 §3.1; GSS §3.31).
// Intermediate Cuff Pressure 0x2A36 has the same layout (BLS §3.2) and reuses `decodeBloodPressure`.
//   byte 0      flags: bit0 unit (0 = mm[Hg], 1 = kPa) · bit1 time stamp · bit2 pulse rate · bit3 user id
//                      bit4 measurement status · bits5-7 reserved
//   bytes 1-2   systolic (ICP: current cuff pressure), SFLOAT
//   bytes 3-4   diastolic (ICP: NaN), SFLOAT
//   bytes 5-6   mean arterial pressure (ICP: NaN), SFLOAT
//   next 7      time stamp, Date Time                    if bit1
//   next 2      pulse rate (/min), SFLOAT                if bit2
//   next 1      user id (0xFF = unknown user)            if bit3
//   next 2      measurement status, uint16 LE            if bit4: bit0 body movement · bit1 cuff too loose
//               · bit2 irregular pulse · bits3-4 pulse rate range (0 in, 1 above, 2 below, 3 reserved)
//               · bit5 improper measurement position · bits6-15 reserved
const STATUS = ["body_movement", "cuff_too_loose", "irregular_pulse", undefined, undefined, "improper_position"];
const PULSE_RANGE = ["in_range", "above_upper", "below_lower", "reserved"] as const;
// A cuff reads 0..~300 mm[Hg]; beyond 400 mm[Hg] (53 kPa) or below 0 the frame is corrupt, not the patient.
const PRESSURE = { "mm[Hg]": { min: 0, max: 400 }, kPa: { min: 0, max: 55 } } as const;
const PULSE = { min: 0, max: 300 };
// Statuses the cuff reports when it doubts its own result: movement and a loose or misplaced cuff
// bias oscillometric readings (AHA scientific statement, Muntner P et al., Hypertension
// 2019;73:e35–e66, "Measurement of blood pressure in humans"). The values are kept, flagged as
// artifacts, never scored. Not `irregular_pulse`: an arrhythmia is the patient, not the cuff.
const QUESTIONABLE = new Set(["body_movement", "cuff_too_loose", "improper_position"]);

export function decodeBloodPressure(r: ByteReader, cuff: boolean): DecodeOutput {
  const f = r.flags8("flags", { kpa: 0, time: 1, pulse: 2, user: 3, status: 4 }, 0xe0); // BLS §3.1.1.1
  const unit = f.kpa ? "kPa" : "mm[Hg]";
  const out = output().field("unit", unit);
  const systolic = r.sfloat(cuff ? "cuff_pressure" : "systolic", PRESSURE[unit]);
  const diastolic = r.sfloat("diastolic", PRESSURE[unit]);
  const mean = r.sfloat("mean_arterial_pressure", PRESSURE[unit]);
  if (cuff) {
    // BLS §3.2: diastolic and MAP are NaN in an intermediate cuff pressure (Nordic's test sends 0; both accepted).
    out.medfloat("cuff_pressure", systolic, "systolic_bp", unit);
  } else {
    out.medfloat("systolic", systolic, "systolic_bp", unit);
    out.medfloat("diastolic", diastolic, "diastolic_bp", unit);
    out.medfloat("mean_arterial_pressure", mean, "mean_arterial_pressure", unit);
  }
  if (f.time) out.field("timestamp", dateTimeIso(r.dateTime("time_stamp")));
  if (f.pulse) out.medfloat("pulse_rate", r.sfloat("pulse_rate", PULSE), "pulse_rate", "/min");
  if (f.user) {
    const user = r.u8("user_id");
    out.field("user_id", user === 0xff ? "unknown" : user);
  }
  if (f.status) {
    const status = r.u16le("measurement_status");
    const flags = bitNames(status, STATUS);
    out.field("measurement_status", { raw: status, flags, pulse_rate_range: PULSE_RANGE[(status >> 3) & 3] });
    const doubt = flags.find((n) => QUESTIONABLE.has(n));
    if (doubt) out.questionable(`measurement status: ${doubt}`);
  }
  r.end();
  // The cuff pressure while inflating is progress, not the patient's blood pressure.
  if (cuff) out.suppress("intermediate cuff pressure, not a blood pressure result");
  return out.done();
}

export const driver = defineDriver({
  id: "bt-sig.blood-pressure",
  name: "Blood Pressure Measurement (0x2A35)",
  match: { gatt: "2a35" },
  decode: (r) => decodeBloodPressure(r, false),
});

export const vectors: DriverVector[] = [
  {
    name: "138/88 mm[Hg], MAP 120, pulse 60, user 1, status 0x0027 (Nordic BPM full)",
    hex: "1e 8a00 5800 7800 0000041114293b 3c00 01 2700",
    expect: {
      readings: [
        { vital: "systolic_bp", value: 138, unit: "mm[Hg]" },
        { vital: "diastolic_bp", value: 88, unit: "mm[Hg]" },
        { vital: "mean_arterial_pressure", value: 120, unit: "mm[Hg]" },
        { vital: "pulse_rate", value: 60, unit: "/min" },
      ],
      fields: { timestamp: "0000-04-17T20:41:59", user_id: 1, measurement_status: { raw: 0x27, pulse_rate_range: "in_range" } },
    },
  },
  {
    name: "18.9/11.0 kPa (Nordic BPM some)",
    hex: "15 bdf0 0b00 9ff0 3c00 1200",
    expect: {
      readings: [
        { vital: "systolic_bp", value: 18.9, unit: "kPa", precision: 1, artifact: "measurement status: cuff_too_loose" },
        { vital: "diastolic_bp", value: 11, unit: "kPa", artifact: "measurement status: cuff_too_loose" },
        { vital: "mean_arterial_pressure", value: 15.9, unit: "kPa", artifact: "measurement status: cuff_too_loose" },
        { vital: "pulse_rate", value: 60, artifact: "measurement status: cuff_too_loose" },
      ],
      // A loose cuff: the values are kept but flagged, never scored.
      fields: { measurement_status: { flags: ["cuff_too_loose"], pulse_rate_range: "below_lower" }, questionable: "measurement status: cuff_too_loose" },
    },
  },
  {
    name: "MAP NaN: systolic and diastolic only",
    hex: "00 7800 5000 ff07",
    expect: { readings: [{ vital: "systolic_bp", value: 120 }, { vital: "diastolic_bp", value: 80 }], fields: { mean_arterial_pressure: "NaN" } },
  },
];

export const mustFail: MustFailVector[] = [
  { name: "Nordic invalid vector: 770 kPa systolic (and time stamp missing)", hex: "03 0203 0405 0607", error: "'systolic' at offset 1" },
  { name: "time flag, time stamp missing", hex: "02 7800 5000 6400 e207", error: "'time_stamp' needs 7 byte(s) at offset 7" },
  { name: "reserved flag bits", hex: "20 7800 5000 6400", error: "reserved" },
  { name: "systolic 2000 mm[Hg]", hex: "00 d007 5000 6400", error: "'systolic' at offset 1" },
  { name: "truncated MAP", hex: "00 7800 5000 64", error: "mean_arterial_pressure" },
  { name: "negative diastolic", hex: "00 7800 b0ff 6400", error: "'diastolic' at offset 3" },
  { name: "60 kPa systolic", hex: "01 5802 5000 6400", error: "outside 0..55" },
];
