import { defineDriver, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: XOSS X2 heart rate strap, advertisement manufacturer data starting 0x04 0xFF (not a registered
// company id; read as 0xFF04). From theengs/decoder XOSSX2_json.h and test_ble.cpp:
//   bytes 0-1   0x04 0xFF
//   byte 2      (not decoded)
//   byte 3      battery level (%) in bits 0-6
//   byte 4      (not decoded)
//   byte 5      heart rate (/min); 0 = no contact
export const driver = defineDriver({
  id: "xoss.x2",
  name: "XOSS X2 heart rate strap (manufacturer data 0xFF04)",
  match: { manufacturerId: 0xff04 },
  decode(r) {
    r.skip(3, "header");
    const battery = r.u8("battery_level") & 0x7f;
    r.skip(1, "reserved");
    const hr = r.u8("heart_rate");
    r.end();
    const out = output();
    if (battery <= 100) out.reading("battery_level", "battery_level", battery, "%");
    else out.field("battery_level", battery).noReading("battery_level", `${battery} is above 100 %`);
    if (hr === 0) return out.field("heart_rate", 0).noReading("heart_rate", "0 = strap not in contact").done();
    return out.reading("heart_rate", "heart_rate", hr, "/min").done();
  },
});

export const vectors: DriverVector[] = [
  {
    name: "63 /min, battery 97 % (theengs test_mfgdata)",
    hex: "04ff 01 61 06 3f",
    expect: { readings: [{ vital: "battery_level", value: 97, unit: "%" }, { vital: "heart_rate", value: 63, unit: "/min" }] },
  },
];

export const mustFail: MustFailVector[] = [
  { name: "heart rate missing", hex: "04ff 01 61 06", error: "heart_rate" },
  { name: "trailing byte", hex: "04ff 01 61 06 3f 00", error: "offset 6" },
];
