import { bitNames, defineDriver, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Blood Pressure Feature, characteristic 0x2A49 (Blood Pressure Service 1.0 §3.3; GSS §3.32)
//   bytes 0-1   uint16 LE: bit0 body movement detection · bit1 cuff fit detection · bit2 irregular pulse detection
//               · bit3 pulse rate range detection · bit4 measurement position detection · bit5 multiple bonds
//               · bits 6-15: later spec versions (e.g. E2E-CRC, user data service, user-facing time): shown raw,
//               not rejected, since BLS 1.1 devices set them.
const FEATURES = ["body_movement_detection", "cuff_fit_detection", "irregular_pulse_detection", "pulse_rate_range_detection", "measurement_position_detection", "multiple_bonds"];

export const driver = defineDriver({
  id: "bt-sig.blood-pressure-feature",
  name: "Blood Pressure Feature (0x2A49)",
  match: { gatt: "2a49" },
  decode(r) {
    const raw = r.u16le("blood_pressure_feature");
    r.end();
    return output().field("blood_pressure_feature", { raw, flags: bitNames(raw, FEATURES) }).done();
  },
});

export const vectors: DriverVector[] = [
  { name: "body movement, cuff fit, irregular pulse", hex: "0700", expect: { readings: [], fields: { blood_pressure_feature: { raw: 7, flags: ["body_movement_detection", "cuff_fit_detection", "irregular_pulse_detection"] } } } },
  { name: "nine feature bits (SpeziBluetooth 0x1FF)", hex: "ff01", expect: { fields: { blood_pressure_feature: { raw: 0x1ff } } } },
];

export const mustFail: MustFailVector[] = [{ name: "one byte", hex: "07", error: "blood_pressure_feature" }];
