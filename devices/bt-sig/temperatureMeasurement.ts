import { dateTimeIso, defineDriver, output, type ByteReader, type DecodeOutput, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Temperature Measurement, characteristic 0x2A1C (Health Thermometer Service 1.0 §3.1; GSS §3.219).
// Intermediate Temperature 0x2A1E has the same layout (HTS §3.3) and reuses `decodeTemperature`.
//   byte 0      flags: bit0 unit (0 = Cel, 1 = [degF]) · bit1 time stamp present · bit2 temperature type present
//                      bits3-7 reserved
//   bytes 1-4   temperature, IEEE 11073-20601 FLOAT (NaN etc. = no reading)
//   next 7      time stamp, Date Time                       if bit1
//   next 1      temperature type (1 armpit … 9 tympanum)     if bit2 (HTS §3.2 / GSS Temperature Type)
// What a thermometer can physically read; a value outside is a corrupt frame (HTS gives no range; ours).
const RANGE = { Cel: { min: -20, max: 60 }, "[degF]": { min: -4, max: 140 } } as const;
const TYPES = [undefined, "armpit", "body", "ear", "finger", "gastro_intestinal_tract", "mouth", "rectum", "toe", "tympanum"] as const;
// Finger and toe read skin temperature, which falls with vasoconstriction while the core stays
// warm: scored as a body temperature it would call a cold-fingered patient hypothermic (NEWS2 ≤ 35
// °C scores 3). NEWS2 uses oral, tympanic or axillary temperature (RCP 2017). Kept, flagged.
const PERIPHERAL = new Set(["finger", "toe"]);

export function decodeTemperature(r: ByteReader, intermediate: boolean): DecodeOutput {
  const f = r.flags8("flags", { fahrenheit: 0, time: 1, type: 2 }, 0xf8); // HTS §3.1.1.1
  const out = output();
  const unit = f.fahrenheit ? "[degF]" : "Cel";
  out.field("unit", unit);
  out.medfloat("temperature", r.float("temperature", RANGE[unit]), "body_temperature", unit);
  if (f.time) out.field("timestamp", dateTimeIso(r.dateTime("time_stamp")));
  if (f.type) {
    const code = r.u8("temperature_type");
    const site = TYPES[code] ?? "reserved";
    out.field("temperature_type", code).field("temperature_site", site);
    if (PERIPHERAL.has(site)) out.questionable(`temperature site: ${site} (skin, not a body temperature)`);
  }
  r.end();
  // An intermediate value is shown while measuring; only the final measurement is a patient reading.
  if (intermediate) out.suppress("intermediate temperature, not the final measurement");
  return out.done();
}

export const driver = defineDriver({
  id: "bt-sig.temperature-measurement",
  name: "Temperature Measurement (0x2A1C)",
  match: { gatt: "2a1c" },
  decode: (r) => decodeTemperature(r, false),
});

export const vectors: DriverVector[] = [
  {
    name: "37.60 Cel, time stamp, finger (Nordic HT test)",
    hex: "06 b00e00fe dc070c050b321b 04",
    expect: {
      // A finger reads skin, not body temperature: kept, flagged.
      readings: [{ vital: "body_temperature", value: 37.6, unit: "Cel", precision: 2, artifact: "temperature site: finger (skin, not a body temperature)" }],
      fields: { timestamp: "2012-12-05T11:50:27", temperature_type: 4, temperature_site: "finger" },
    },
  },
  { name: "98.6 [degF], no options", hex: "01 da0300ff", expect: { readings: [{ vital: "body_temperature", value: 98.6, unit: "[degF]" }] } },
  {
    name: "FLOAT NaN: no reading, says why",
    hex: "00 ffff7f00",
    expect: { readings: [], fields: { temperature: "NaN", no_reading: { temperature: "value is NaN (IEEE 11073-20601 special value)" } } },
  },
];

export const mustFail: MustFailVector[] = [
  { name: "type flag, type byte missing (Nordic invalid vector)", hex: "06 b00e00fe dc070c050b321b", error: "temperature_type" },
  { name: "reserved flag bits", hex: "08 b00e00fe", error: "reserved" },
  { name: "truncated FLOAT", hex: "00 b00e00", error: "'temperature' needs 4 byte(s) at offset 1" },
  { name: "month 13 in time stamp", hex: "02 b00e00fe dc070d050b321b", error: "time_stamp.month" },
  { name: "trailing byte", hex: "00 b00e00fe 00", error: "offset 5" },
  { name: "376.0 Cel (exponent slip)", hex: "00 b00e00ff", error: "'temperature' at offset 1" },
];
