import { defineDriver, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Temperature Type, characteristic 0x2A1D (Health Thermometer Service 1.0 §3.2; GSS §3.220)
//   byte 0      1 armpit · 2 body (general) · 3 ear (usually earlobe) · 4 finger · 5 gastro-intestinal tract
//               · 6 mouth · 7 rectum · 8 toe · 9 tympanum (ear drum); 0 and 10-255 reserved
// Where the thermometer measures (static for the device): a field, no reading.
const SITES = [undefined, "armpit", "body", "ear", "finger", "gastro_intestinal_tract", "mouth", "rectum", "toe", "tympanum"];

export const driver = defineDriver({
  id: "bt-sig.temperature-type",
  name: "Temperature Type (0x2A1D)",
  match: { gatt: "2a1d" },
  decode(r) {
    const code = r.u8In("temperature_type", { min: 1, max: 9 });
    r.end();
    return output().field("temperature_type", code).field("temperature_site", SITES[code]).done();
  },
});

export const vectors: DriverVector[] = [{ name: "tympanum", hex: "09", expect: { readings: [], fields: { temperature_type: 9, temperature_site: "tympanum" } } }];

export const mustFail: MustFailVector[] = [
  { name: "reserved 0", hex: "00", error: "outside 1..9" },
  { name: "two bytes", hex: "0900", error: "offset 1" },
];
