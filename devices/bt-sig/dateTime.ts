import { dateTimeIso, defineDriver, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Date Time, characteristic 0x2A08 (GSS §3.70)
//   bytes 0-1 year u16 (1582..9999, 0 unknown) · 2 month (1..12, 0 unknown) · 3 day (1..31, 0 unknown)
//   4 hours (0..23) · 5 minutes (0..59) · 6 seconds (0..59). Device clock: fields only, no readings.
export const driver = defineDriver({
  id: "bt-sig.date-time",
  name: "Date Time (0x2A08)",
  match: { gatt: "2a08" },
  decode(r) {
    const dt = r.dateTime("date_time");
    r.end();
    return output().field("date_time", dateTimeIso(dt)).field("year_known", dt.year !== 0).done();
  },
});

export const vectors: DriverVector[] = [
  { name: "2018-04-17 15:51:00 (Nordic date time test)", hex: "e207 04 11 0f 33 00", expect: { readings: [], fields: { date_time: "2018-04-17T15:51:00", year_known: true } } },
  { name: "date unknown (Nordic date time test)", hex: "0000 00 00 12 1a 20", expect: { fields: { date_time: "0000-00-00T18:26:32", year_known: false } } },
];

export const mustFail: MustFailVector[] = [
  { name: "six bytes", hex: "e207 04 11 0f 33", error: "date_time" },
  { name: "minute 60", hex: "e207 04 11 0f 3c 00", error: "date_time.minutes" },
  { name: "year 1000", hex: "e803 04 11 0f 33 00", error: "date_time.year" },
];
