import { defineDriver, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Battery Level, characteristic 0x2A19 (Battery Service 1.0 §3.1; GSS §3.27)
//   byte 0      battery level, uint8, 0..100 %; 101..255 reserved (rejected); nothing follows
export const driver = defineDriver({
  id: "bt-sig.battery-level",
  name: "Battery Level (0x2A19)",
  match: { gatt: "2a19" },
  decode(r) {
    const level = r.u8In("battery_level", { min: 0, max: 100 });
    r.end();
    return output().reading("battery_level", "battery_level", level, "%").done();
  },
});

export const vectors: DriverVector[] = [
  { name: "100 % (Nordic battery test)", hex: "64", expect: { readings: [{ vital: "battery_level", value: 100, unit: "%" }] } },
  { name: "15 % (Nordic battery test)", hex: "0f", expect: { readings: [{ vital: "battery_level", value: 15, unit: "%" }] } },
];

export const mustFail: MustFailVector[] = [
  { name: "two bytes (Nordic invalid)", hex: "6400", error: "offset 1" },
  { name: "101 %", hex: "65", error: "outside 0..100" },
  { name: "empty", hex: "", error: "battery_level" },
];
