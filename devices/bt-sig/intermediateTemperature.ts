import { defineDriver, type DriverVector, type MustFailVector } from "../../src/driverKit.js";
import { decodeTemperature } from "./temperatureMeasurement.js";

// Wire contract: Intermediate Temperature, characteristic 0x2A1E (Health Thermometer Service 1.0 §3.3):
// the Temperature Measurement layout (see ./temperatureMeasurement.ts). Values shown while the
// thermometer is still measuring are decoded but produce no reading.
export const driver = defineDriver({
  id: "bt-sig.intermediate-temperature",
  name: "Intermediate Temperature (0x2A1E)",
  match: { gatt: "2a1e" },
  decode: (r) => decodeTemperature(r, true),
});

export const vectors: DriverVector[] = [
  {
    name: "36.1 Cel while measuring: fields, no reading",
    hex: "00 690100ff",
    expect: { readings: [], fields: { temperature: 36.1, unit: "Cel", no_reading: { temperature: "intermediate temperature, not the final measurement" } } },
  },
];

export const mustFail: MustFailVector[] = [
  { name: "time flag, time stamp short", hex: "02 690100ff e207", error: "time_stamp" },
  { name: "reserved flag bits", hex: "80 690100ff", error: "reserved" },
];
