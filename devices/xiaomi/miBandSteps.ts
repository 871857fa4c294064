import { defineDriver, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Xiaomi Mi Band / Amazfit step count, advertisement service data under UUID 0xFEE0.
// From theengs/decoder Miband_json.h ("steps": servicedata, 4 bytes): uint32 LE step count since midnight.
export const driver = defineDriver({
  id: "xiaomi.mi-band-steps",
  name: "Xiaomi Mi Band / Amazfit steps (service data 0xFEE0)",
  match: { serviceData: "fee0" },
  decode(r) {
    const steps = r.u32le("steps");
    r.end();
    return output().reading("steps", "steps", steps, "{steps}").done();
  },
});

export const vectors: DriverVector[] = [
  { name: "9101 steps (theengs test_mfgdata)", hex: "8d230000", expect: { readings: [{ vital: "steps", value: 9101, unit: "{steps}" }] } },
  { name: "7852 steps (theengs)", hex: "ac1e0000", expect: { readings: [{ vital: "steps", value: 7852 }] } },
];

export const mustFail: MustFailVector[] = [
  { name: "two bytes", hex: "8d23", error: "steps" },
  { name: "five bytes", hex: "8d23000000", error: "offset 4" },
];
