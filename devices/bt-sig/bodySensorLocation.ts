import { defineDriver, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Body Sensor Location, characteristic 0x2A38 (Heart Rate Service 1.0 §3.2; GSS §3.30)
//   byte 0      location: 0 other · 1 chest · 2 wrist · 3 finger · 4 hand · 5 ear lobe · 6 foot; 7-255 reserved
// Where the strap sits: a field for display and quality, no reading.
const LOCATIONS = ["other", "chest", "wrist", "finger", "hand", "ear_lobe", "foot"];

export const driver = defineDriver({
  id: "bt-sig.body-sensor-location",
  name: "Body Sensor Location (0x2A38)",
  match: { gatt: "2a38" },
  decode(r) {
    const code = r.u8In("body_sensor_location", { min: 0, max: LOCATIONS.length - 1 });
    r.end();
    return output().field("body_sensor_location", LOCATIONS[code]).done();
  },
});

export const vectors: DriverVector[] = [
  { name: "chest", hex: "01", expect: { readings: [], fields: { body_sensor_location: "chest" } } },
  { name: "wrist", hex: "02", expect: { readings: [], fields: { body_sensor_location: "wrist" } } },
];

export const mustFail: MustFailVector[] = [
  { name: "reserved value 7", hex: "07", error: "outside 0..6" },
  { name: "empty", hex: "", error: "body_sensor_location" },
];
