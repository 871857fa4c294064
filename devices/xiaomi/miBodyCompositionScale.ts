import { dateTimeIso, defineDriver, flags, output, scaled, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Xiaomi Mi Body Composition Scale XMTZC02HM/XMTZC05HM, advertisement service data under UUID 0x181B.
// NOT the SIG Body Composition layout despite the UUID. From theengs/decoder (XMTZC05HMKG/LB_json.h,
// test_ble.cpp) and Bluetooth-Devices/xiaomi-ble (miscale v2):
//   byte 0      control 0: bit0 [lb_av] · bit2 object mode (theengs)
//   byte 1      control 1: bit1 impedance present · bit5 stabilised · bit7 weight removed
//   bytes 2-8   scale clock, Date Time layout
//   bytes 9-10  impedance (Ohm), uint16 LE              meaningful if control 1 bit1
//   bytes 11-12 weight, uint16 LE: /200 kg or /100 lb
// Only a stabilised person weighing, still on the scale, is a patient reading.
export const driver = defineDriver({
  id: "xiaomi.mi-body-composition-scale",
  name: "Xiaomi Mi Body Composition Scale (service data 0x181B)",
  match: { serviceData: "181b" },
  decode(r) {
    const c0 = flags(r.u8("control0"), { lb: 0, object: 2 });
    const c1 = flags(r.u8("control1"), { impedance: 1, stable: 5, removed: 7 });
    const out = output().field("weighing_mode", c0.object ? "object" : "person");
    out.field("timestamp", dateTimeIso(r.dateTime("time_stamp")));
    const impedance = r.u16le("impedance");
    const raw = r.u16le("weight");
    r.end();
    const [unit, step] = c0.lb ? (["[lb_av]", 0.01] as const) : (["kg", 0.005] as const);
    out.field("unit", unit).reading("weight", "body_weight", scaled(raw, step, 3), unit, c0.lb ? 2 : 3);
    if (c1.impedance) out.reading("impedance", "impedance", impedance, "Ohm", 0);
    if (c0.object) out.suppress("object mode: not a person's weight");
    else if (!c1.stable) out.suppress("weight not stabilised");
    // "Weight removed" repeats the weighing just finished, with its clock: still a reading, so a
    // gateway that came into range late records it; src/core/pipeline/dedupeFrames.ts drops it as a
    // repeat by the scale's own timestamp when the weighing was already heard.
    if (c1.removed) out.field("weight_removed", true);
    return out.done();
  },
});

export const vectors: DriverVector[] = [
  {
    name: "person, 72.45 kg, 503 Ohm (theengs test_uuid)",
    hex: "02 26 e607020e10293a f701 9a38",
    expect: {
      readings: [{ vital: "body_weight", value: 72.45, unit: "kg" }, { vital: "impedance", value: 503, unit: "Ohm" }],
      fields: { weighing_mode: "person", timestamp: "2022-02-14T16:41:58" },
    },
  },
  { name: "person, 140.65 [lb_av], no impedance (theengs)", hex: "03 24 e607020e10293a 0000 f136", expect: { readings: [{ vital: "body_weight", value: 140.65, unit: "[lb_av]" }] } },
  { name: "object mode 5.1 kg: no reading (theengs)", hex: "06 24 e607020e10293a 0000 fc03", expect: { readings: [], fields: { weighing_mode: "object", weight: 5.1 } } },
  {
    name: "weight removed: the same weighing, a reading with the scale's clock (theengs)",
    hex: "02 a6 e607020e10293a f701 9a38",
    expect: { readings: [{ vital: "body_weight", value: 72.45, unit: "kg" }, { vital: "impedance", value: 503 }], fields: { weight_removed: true } },
  },
];

export const mustFail: MustFailVector[] = [
  { name: "weight cut short", hex: "02 26 e607020e10293a f701 9a", error: "'weight' needs 2 byte(s) at offset 11" },
  { name: "hour 25", hex: "02 26 e607020e19293a f701 9a38", error: "time_stamp.hours" },
];
