import { defineDriver, type DriverVector, type MustFailVector } from "../../src/driverKit.js";
import { decodeBloodPressure } from "./bloodPressure.js";

// Wire contract: Intermediate Cuff Pressure, characteristic 0x2A36 (Blood Pressure Service 1.0 §3.2): the
// Blood Pressure Measurement layout (see ./bloodPressure.ts) with the current cuff pressure in the systolic
// slot and NaN in diastolic and MAP. Decoded for display; never a patient reading.
export const driver = defineDriver({
  id: "bt-sig.intermediate-cuff-pressure",
  name: "Intermediate Cuff Pressure (0x2A36)",
  match: { gatt: "2a36" },
  decode: (r) => decodeBloodPressure(r, true),
});

export const vectors: DriverVector[] = [
  {
    name: "cuff 21.5 mm[Hg] (Nordic ICP minimal)",
    hex: "00 d7f0 0000 0000",
    expect: { readings: [], fields: { cuff_pressure: 21.5, unit: "mm[Hg]", no_reading: { cuff_pressure: "intermediate cuff pressure, not a blood pressure result" } } },
  },
  { name: "spec form: diastolic and MAP NaN", hex: "00 2800 ff07 ff07", expect: { readings: [], fields: { cuff_pressure: 40 } } },
];

export const mustFail: MustFailVector[] = [
  { name: "pulse flag, pulse missing", hex: "04 d7f0 0000 0000", error: "pulse_rate" },
  { name: "reserved flag bits", hex: "40 d7f0 0000 0000", error: "reserved" },
];
