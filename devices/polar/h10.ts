import { defineDriver, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Polar H10 heart rate broadcast, advertisement manufacturer data, company 0x006B (Polar).
// From theengs/decoder PH10_json.h and test_ble.cpp; hex as Theengs publishes it, company id first:
//   bytes 0-1   company id 0x006B, little-endian
//   bytes 2-4   Polar status bytes (not decoded)
//   byte 5      heart rate (/min); 0 = no contact
//   6 bytes in all. Other Polar sensors use other layouts: they decode to no reading and say so.
export const driver = defineDriver({
  id: "polar.h10",
  name: "Polar H10 heart rate broadcast (manufacturer data 0x006B)",
  match: { manufacturerId: 0x006b },
  decode(r) {
    r.skip(2, "company_id");
    const out = output();
    if (r.bytes.length !== 6) {
      r.skip(r.remaining, "payload");
      return out.field("layout", "unrecognised").noReading("payload", "not the 6-byte H10 layout").done();
    }
    r.skip(3, "status");
    const hr = r.u8("heart_rate");
    r.end();
    if (hr === 0) return out.field("heart_rate", 0).noReading("heart_rate", "0 = strap not in contact").done();
    return out.reading("heart_rate", "heart_rate", hr, "/min").done();
  },
});

export const vectors: DriverVector[] = [
  { name: "70 /min (theengs test_mfgdata)", hex: "6b00 3b1644 46", expect: { readings: [{ vital: "heart_rate", value: 70, unit: "/min" }] } },
  { name: "104 /min (theengs)", hex: "6b00 2f166b 68", expect: { readings: [{ vital: "heart_rate", value: 104 }] } },
  { name: "no contact", hex: "6b00 2f166b 00", expect: { readings: [], fields: { heart_rate: 0 } } },
  { name: "other Polar layout: no reading", hex: "6b00 0102", expect: { readings: [], fields: { layout: "unrecognised" } } },
];

export const mustFail: MustFailVector[] = [{ name: "one byte", hex: "6b", error: "company_id" }];
