import { defineDriver, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Xiaomi Mi Band / Amazfit activity heart rate, advertisement manufacturer data, company 0x0157
// (Huami). From theengs/decoder Miband_json.h and test_ble.cpp; hex as Theengs publishes it, company id first:
//   bytes 0-1   company id 0x0157, little-endian
//   byte 2      0x02 when the band broadcasts heart rate
//   byte 5      heart rate (/min); 0xFF = none
//   26 bytes in all (bytes 20-25 are the band's MAC). Other Huami devices (scales) share the company id with
//   other layouts: those decode to no reading and say so, rather than failing.
const LENGTH = 26;

export const driver = defineDriver({
  id: "xiaomi.mi-band",
  name: "Xiaomi Mi Band / Amazfit heart rate (manufacturer data 0x0157)",
  match: { manufacturerId: 0x0157 },
  decode(r) {
    r.skip(2, "company_id");
    const out = output();
    if (r.bytes.length !== LENGTH) {
      r.skip(r.remaining, "payload");
      return out.field("layout", "unrecognised").noReading("payload", `not the ${LENGTH}-byte Mi Band layout`).done();
    }
    const mode = r.u8("mode");
    r.skip(2, "reserved");
    const hr = r.u8("heart_rate");
    r.skip(r.remaining, "payload");
    if (mode !== 0x02) return out.field("heart_rate", "absent").done();
    if (hr === 0xff || hr === 0) return out.field("heart_rate", "absent").noReading("heart_rate", "band reports no heart rate").done();
    return out.reading("heart_rate", "heart_rate", hr, "/min").done();
  },
});

export const vectors: DriverVector[] = [
  {
    name: "125 /min (theengs test_mfgdata)",
    hex: "57010202017dffffffffffffffffffffffffff02aabbccddeeff",
    expect: { readings: [{ vital: "heart_rate", value: 125, unit: "/min" }] },
  },
  { name: "132 /min (theengs)", hex: "570102020184ffffffffffffffffffffffffff02aabbccddeeff", expect: { readings: [{ vital: "heart_rate", value: 132 }] } },
  { name: "no heart rate (theengs)", hex: "570102ffffffffffffffffffffffffffffffff02aabbccddeeff", expect: { readings: [] } },
  { name: "other mode (theengs)", hex: "570100dcdde701d61acdc010c59c77fad0bf8e02aabbccddeeff", expect: { readings: [], fields: { heart_rate: "absent" } } },
  { name: "Huami scale advert: no reading, says why", hex: "5701381ec781c63c", expect: { readings: [], fields: { layout: "unrecognised" } } },
];

export const mustFail: MustFailVector[] = [{ name: "company id cut short", hex: "57", error: "company_id" }];
