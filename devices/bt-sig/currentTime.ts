import { bitNames, dateTimeIso, defineDriver, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Current Time, characteristic 0x2A2B (Current Time Service 1.1 §3.1; GSS §3.62)
//   bytes 0-6   Date Time (see ./dateTime.ts)
//   byte 7      day of week (1 Monday … 7 Sunday, 0 unknown; 8..255 rejected)
//   byte 8      fractions256 (1/256 s)
//   byte 9      adjust reason: bit0 manual · bit1 external reference · bit2 time zone · bit3 DST · bits4-7 reserved
const REASONS = ["manual_time_update", "external_reference_time_update", "change_of_time_zone", "change_of_dst"];

export const driver = defineDriver({
  id: "bt-sig.current-time",
  name: "Current Time (0x2A2B)",
  match: { gatt: "2a2b" },
  decode(r) {
    const out = output().field("date_time", dateTimeIso(r.dateTime("date_time")));
    out.field("day_of_week", r.u8In("day_of_week", { min: 0, max: 7 }));
    out.field("fractions256", r.u8("fractions256"));
    const reason = r.flags8("adjust_reason", {}, 0xf0);
    out.field("adjust_reason", { raw: reason.raw, flags: bitNames(reason.raw, REASONS) });
    r.end();
    return out.done();
  },
});

export const vectors: DriverVector[] = [
  {
    name: "2025-01-15 14:30:45, Wednesday, 33/256 s, manual update (bluetooth-sig-python)",
    hex: "e907 01 0f 0e 1e 2d 03 21 01",
    expect: { readings: [], fields: { date_time: "2025-01-15T14:30:45", day_of_week: 3, fractions256: 33, adjust_reason: { raw: 1, flags: ["manual_time_update"] } } },
  },
];

export const mustFail: MustFailVector[] = [
  { name: "day of week 8", hex: "e907 01 0f 0e 1e 2d 08 21 01", error: "day_of_week" },
  { name: "reserved adjust reason bits", hex: "e907 01 0f 0e 1e 2d 03 21 10", error: "reserved" },
  { name: "adjust reason missing", hex: "e907 01 0f 0e 1e 2d 03 21", error: "'adjust_reason' needs 1 byte(s) at offset 9" },
];
