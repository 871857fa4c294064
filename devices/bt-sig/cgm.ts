import { defineDriver, medfloatJson, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";
import { annunciation, checkCrc, INVALID } from "./_cgm.js";

// Wire contract: CGM Measurement, characteristic 0x2AA7 (Continuous Glucose Monitoring Service 1.0.1 §3.2; GSS §3.47).
// One notification carries one or more records back to back; each record:
//   byte 0      size: bytes in this record including size and E2E-CRC (≥ 6)
//   byte 1      flags: bit0 trend · bit1 quality · bits2-4 reserved · bit5 warning octet · bit6 cal/temp octet
//                      bit7 status octet
//   bytes 2-3   glucose concentration (mg/dL), SFLOAT
//   bytes 4-5   time offset (minutes since session start), uint16 LE
//   next 1      status octet      if bit7 · next 1 cal/temp octet if bit6 · next 1 warning octet if bit5
//   next 2      trend ((mg/dL)/min), SFLOAT   if bit0
//   next 2      quality (%), SFLOAT           if bit1
//   last 2      E2E-CRC, CRC-16/MCRF4XX over the record before it — present when size leaves 2 bytes for it
export const driver = defineDriver({
  id: "bt-sig.cgm",
  name: "CGM Measurement (0x2AA7)",
  match: { gatt: "2aa7" },
  decode(r) {
    const out = output();
    const records: Record<string, unknown>[] = [];
    do {
      const i = records.length;
      const start = r.offset;
      const size = r.u8(`record[${i}].size`);
      if (size < 6) r.fail("decode_malformed", `record[${i}].size`, start, `size ${size} is below the 6-byte minimum`);
      r.offset = start;
      const rec = r.sub(size, `record[${i}]`);
      rec.skip(1, "size");
      const f = rec.flags8(`record[${i}].flags`, { trend: 0, quality: 1, warning: 5, calTemp: 6, status: 7 }, 0x1c);
      const glucose = rec.sfloat(`record[${i}].glucose`, { min: 0, max: 10000 });
      const record: Record<string, unknown> = { size, glucose: medfloatJson(glucose), time_offset_min: rec.u16le(`record[${i}].time_offset`) };
      // Octet order per GSS: Status, Cal/Temp, Warning (bluetooth-sig-python; Nordic agrees when all three are present).
      const octet = (name: string, present: boolean): number => {
        if (!present) return 0;
        const v = rec.u8(`record[${i}].${name}`);
        record[name] = v;
        return v;
      };
      const bits = octet("status_octet", f.status) | (octet("cal_temp_octet", f.calTemp) << 8) | (octet("warning_octet", f.warning) << 16);
      const names = annunciation(bits);
      record.annunciation = names;
      if (f.trend) record.trend = medfloatJson(rec.sfloat(`record[${i}].trend`));
      if (f.quality) record.quality = medfloatJson(rec.sfloat(`record[${i}].quality`, { min: 0, max: 100 }));
      if (rec.remaining === 2) record.e2e_crc = checkCrc(rec, start);
      rec.end();
      records.push(record);
      const field = `record[${i}].glucose`;
      const stop = names.find((n) => INVALID.has(n));
      if (glucose.kind !== "value") out.noReading(field, `value is ${glucose.kind} (IEEE 11073-20601 special value)`);
      else if (stop) out.noReading(field, `sensor status annunciation: ${stop}`);
      else out.also(field, "glucose", glucose.value, "mg/dL", glucose.precision);
    } while (r.remaining > 0);
    return out.field("records", records).done();
  },
});

export const vectors: DriverVector[] = [
  {
    name: "one record, all fields, valid CRC 0x3F8E; warning says beyond device range: no reading (Nordic CGM full)",
    hex: "0f e3 d2e4 0500 02 14 ff 02f0 e5f3 8e3f",
    expect: {
      readings: [],
      fields: { records: [{ size: 15, glucose: 12.34, time_offset_min: 5, status_octet: 2, cal_temp_octet: 0x14, warning_octet: 0xff, trend: 0.2, quality: 99.7, e2e_crc: "3f8e" }] },
    },
  },
  {
    name: "two records in one notification (Nordic CGM double)",
    hex: "06 00 0c10 0500 06 00 0c10 0600",
    expect: { readings: [{ vital: "glucose", value: 120, unit: "mg/dL" }, { vital: "glucose", value: 120 }], fields: { records: [{ time_offset_min: 5 }, { time_offset_min: 6 }] } },
  },
  { name: "one minimal record", hex: "06 00 0c10 0600", expect: { readings: [{ vital: "glucose", value: 120, unit: "mg/dL" }] } },
];

export const mustFail: MustFailVector[] = [
  { name: "size 6, 5 bytes sent (Nordic invalid)", hex: "06 e3 0c10 00", error: "record[0]" },
  { name: "flags need 13 bytes, size says 7 (Nordic invalid)", hex: "07 e3 0c10 0600 00", error: "record[0]" },
  { name: "wrong E2E-CRC rejects the record", hex: "0f e3 d2e4 0500 02 14 ff 02f0 e5f3 8e3e", error: "e2e_crc" },
  { name: "size 0 cannot loop forever", hex: "00 00 0c10 0600", error: "size 0" },
  { name: "reserved flag bits", hex: "06 04 0c10 0600", error: "reserved" },
];
