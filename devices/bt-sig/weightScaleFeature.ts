import { defineDriver, flags, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Weight Scale Feature, characteristic 0x2A9E (Weight Scale Service 1.0 §3.2; GSS §3.253)
//   bytes 0-3   uint32 LE: bit0 time stamp supported · bit1 multiple users · bit2 BMI supported
//               bits3-6 weight resolution: 0 not specified · 1 0.5 kg / 1 lb · 2 0.2 / 0.5 · 3 0.1 / 0.2
//                 · 4 0.05 / 0.1 · 5 0.02 / 0.05 · 6 0.01 / 0.02 · 7 0.005 / 0.01 · 8-15 reserved
//               bits7-9 height resolution: 0 not specified · 1 0.01 m / 1 in · 2 0.005 m / 0.5 in · 3 0.001 m / 0.1 in
//               bits10-31 reserved
// The Weight Measurement driver assumes the finest resolution (0.005 kg); a scale announcing a coarser one here
// scales its raw weight differently (SpeziBluetooth: 120 raw = 0.6 kg at 5 g, 2.4 kg at 20 g).
const WEIGHT = [undefined, [0.5, 1], [0.2, 0.5], [0.1, 0.2], [0.05, 0.1], [0.02, 0.05], [0.01, 0.02], [0.005, 0.01]] as const;
const HEIGHT = [undefined, [0.01, 1], [0.005, 0.5], [0.001, 0.1]] as const;

export const driver = defineDriver({
  id: "bt-sig.weight-scale-feature",
  name: "Weight Scale Feature (0x2A9E)",
  match: { gatt: "2a9e" },
  decode(r) {
    const at = r.offset;
    const raw = r.u32le("weight_scale_feature");
    r.end();
    if (raw >= 0x400) r.fail("decode_reserved", "weight_scale_feature", at, `reserved bits 10-31 set (0x${raw.toString(16)})`);
    const w = (raw >> 3) & 0x0f;
    if (w > 7) r.fail("decode_reserved", "weight_scale_feature", at, `weight resolution code ${w} is reserved`);
    const h = (raw >> 7) & 0x07;
    if (h > 3) r.fail("decode_reserved", "weight_scale_feature", at, `height resolution code ${h} is reserved`);
    const f = flags(raw, { timeStamp: 0, multipleUsers: 1, bmi: 2 });
    const weight = WEIGHT[w];
    const height = HEIGHT[h];
    return output()
      .field("time_stamp_supported", f.timeStamp)
      .field("multiple_users_supported", f.multipleUsers)
      .field("bmi_supported", f.bmi)
      .field("weight_resolution", weight ? { kg: weight[0], lb: weight[1] } : "not_specified")
      .field("height_resolution", height ? { m: height[0], in: height[1] } : "not_specified")
      .done();
  },
});

export const vectors: DriverVector[] = [
  {
    name: "time, users, BMI, 0.005 kg, 0.001 m",
    hex: "bf010000",
    expect: { readings: [], fields: { time_stamp_supported: true, bmi_supported: true, weight_resolution: { kg: 0.005, lb: 0.01 }, height_resolution: { m: 0.001, in: 0.1 } } },
  },
  { name: "nothing specified", hex: "00000000", expect: { fields: { weight_resolution: "not_specified", height_resolution: "not_specified" } } },
];

export const mustFail: MustFailVector[] = [
  { name: "reserved bits", hex: "00040000", error: "reserved" },
  { name: "height code 4", hex: "00020000", error: "height resolution code 4" },
  { name: "three bytes", hex: "bf0100", error: "weight_scale_feature" },
];
