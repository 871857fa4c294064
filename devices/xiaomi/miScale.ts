import { dateTimeIso, defineDriver, flags, output, scaled, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Xiaomi Mi Smart Scale XMTZC01HM/XMTZC04HM, advertisement service data under UUID 0x181D.
// NOT the SIG Weight Measurement layout despite the UUID. From the public layouts of theengs/decoder
// (XMTZC04HMKG/LB_json.h, test_ble.cpp) and Bluetooth-Devices/xiaomi-ble (miscale v1):
//   byte 0      control: bit0 [lb_av] · bit4 catty (jin) · bit5 stabilised · bit6 object mode (theengs)
//               · bit7 weight removed (the scale repeats the last weighing after the person stepped off)
//   bytes 1-2   weight, uint16 LE: /200 kg, /100 lb or jin
//   bytes 3-9   scale clock, Date Time layout
// Only a stabilised person weighing is a patient reading (on the scale, or repeated after stepping off).
export const driver = defineDriver({
  id: "xiaomi.mi-scale",
  name: "Xiaomi Mi Smart Scale (service data 0x181D)",
  match: { serviceData: "181d" },
  decode(r) {
    const c = flags(r.u8("control"), { lb: 0, catty: 4, stable: 5, object: 6, removed: 7 });
    const raw = r.u16le("weight");
    const out = output().field("weighing_mode", c.object ? "object" : "person");
    out.field("timestamp", dateTimeIso(r.dateTime("time_stamp")));
    r.end();
    if (c.catty) return out.field("weight", scaled(raw, 0.01, 2)).field("unit", "jin").noReading("weight", "unit jin (catty) has no UCUM unit here").done();
    const [unit, step] = c.lb ? (["[lb_av]", 0.01] as const) : (["kg", 0.005] as const);
    out.field("unit", unit).reading("weight", "body_weight", scaled(raw, step, 3), unit, c.lb ? 2 : 3);
    if (c.object) out.suppress("object mode: not a person's weight");
    else if (!c.stable) out.suppress("weight not stabilised");
    // "Weight removed" repeats the weighing just finished, with its clock: still a reading, so a
    // gateway that came into range late records it; src/core/pipeline/dedupeFrames.ts drops it as a
    // repeat by the scale's own timestamp when the weighing was already heard.
    if (c.removed) out.field("weight_removed", true);
    return out.done();
  },
});

export const vectors: DriverVector[] = [
  {
    name: "person, 61.75 kg, stabilised (theengs test_uuid)",
    hex: "22 3e30 e607020e10293a",
    expect: { readings: [{ vital: "body_weight", value: 61.75, unit: "kg" }], fields: { weighing_mode: "person", timestamp: "2022-02-14T16:41:58" } },
  },
  { name: "person, 131.7 [lb_av] (theengs)", hex: "23 7233 e607020e10293a", expect: { readings: [{ vital: "body_weight", value: 131.7, unit: "[lb_av]" }] } },
  {
    name: "object mode 9.55 kg: no patient reading (theengs)",
    hex: "62 7607 e607020e10293a",
    expect: { readings: [], fields: { weighing_mode: "object", weight: 9.55, no_reading: { weight: "object mode: not a person's weight" } } },
  },
  {
    name: "weight removed: the same weighing, a reading with the scale's clock (theengs)",
    hex: "a2 3e30 e607020e10293a",
    expect: { readings: [{ vital: "body_weight", value: 61.75, unit: "kg" }], fields: { weight: 61.75, weight_removed: true, timestamp: "2022-02-14T16:41:58" } },
  },
  { name: "not stabilised: no reading", hex: "02 3e30 e607020e10293a", expect: { readings: [], fields: { no_reading: { weight: "weight not stabilised" } } } },
];

export const mustFail: MustFailVector[] = [
  { name: "clock cut short", hex: "22 3e30 e607020e", error: "time_stamp" },
  { name: "trailing byte", hex: "22 3e30 e607020e10293a 00", error: "offset 10" },
  { name: "month 13", hex: "22 3e30 e6070d0e10293a", error: "time_stamp.month" },
];
