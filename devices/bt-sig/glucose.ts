import { addMinutes, bitNames, dateTimeIso, defineDriver, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Glucose Measurement, characteristic 0x2A18 (Glucose Service 1.0 §3.1; GSS §3.106)
//   byte 0      flags: bit0 time offset · bit1 concentration, type and sample location · bit2 unit (0 kg/L, 1 mol/L)
//                      bit3 sensor status annunciation · bit4 context information follows · bits5-7 reserved
//   bytes 1-2   sequence number, uint16 LE
//   bytes 3-9   base time, Date Time
//   next 2      time offset (minutes), sint16 LE                       if bit0
//   next 2      glucose concentration, SFLOAT (kg/L or mol/L)          if bit1
//   next 1      type (low nibble) · sample location (high nibble)      if bit1
//   next 2      sensor status annunciation, uint16 LE                  if bit3
// Readings: kg/L × 10^5 = mg/dL, mol/L × 10^3 = mmol/L (DESIGN §3 units).
const TYPES = [undefined, "capillary_whole_blood", "capillary_plasma", "venous_whole_blood", "venous_plasma", "arterial_whole_blood",
  "arterial_plasma", "undetermined_whole_blood", "undetermined_plasma", "interstitial_fluid", "control_solution"];
const LOCATIONS = [undefined, "finger", "alternate_site_test", "earlobe", "control_solution"];
const STATUS = ["device_battery_low", "sensor_malfunction", "sample_size_insufficient", "strip_insertion_error", "strip_type_incorrect",
  "result_above_device_range", "result_below_device_range", "sensor_temperature_too_high", "sensor_temperature_too_low",
  "sensor_read_interrupted", "general_device_fault", "time_fault"];
// Annunciations under which the number is not a valid measurement (a clamp, a fault, a bad sample).
const INVALID = new Set(["sensor_malfunction", "sample_size_insufficient", "strip_insertion_error", "strip_type_incorrect",
  "result_above_device_range", "result_below_device_range", "sensor_read_interrupted", "general_device_fault"]);

export const driver = defineDriver({
  id: "bt-sig.glucose",
  name: "Glucose Measurement (0x2A18)",
  match: { gatt: "2a18" },
  decode(r) {
    const f = r.flags8("flags", { offset: 0, concentration: 1, molPerL: 2, status: 3, context: 4 }, 0xe0); // GLS §3.1.1.1
    const out = output();
    out.field("sequence_number", r.u16le("sequence_number"));
    const base = r.dateTime("base_time");
    out.field("base_time", dateTimeIso(base));
    if (f.offset) {
      const minutes = r.s16le("time_offset");
      const at = addMinutes(base, minutes);
      out.field("time_offset_min", minutes);
      if (at) out.field("timestamp", dateTimeIso(at));
    }
    if (f.concentration) {
      const c = r.sfloat("concentration");
      const typeAt = r.offset;
      const typeLoc = r.u8("type_sample_location");
      const type = TYPES[typeLoc & 0x0f] ?? "reserved";
      const location = (typeLoc >> 4) === 0x0f ? "not_available" : LOCATIONS[typeLoc >> 4] ?? "reserved";
      out.field("unit", f.molPerL ? "mol/L" : "kg/L").field("type", typeLoc & 0x0f).field("sample_type", type);
      out.field("sample_location", location);
      if (c.kind !== "value") out.medfloat("concentration", c, "glucose", "mg/dL");
      else {
        out.field("concentration", c.value);
        const [factor, unit, shift] = f.molPerL ? ([1e3, "mmol/L", 3] as const) : ([1e5, "mg/dL", 5] as const);
        if (c.value < 0) r.fail("decode_range", "concentration", typeAt - 2, `${c.value} is negative`);
        const precision = Math.max(0, c.precision - shift);
        out.also("concentration", "glucose", Number((c.value * factor).toFixed(precision)), unit, precision);
      }
      // A control-solution test checks the meter, not the patient.
      if (type === "control_solution" || location === "control_solution") out.suppress("control solution test");
    }
    if (f.status) {
      const raw = r.u16le("sensor_status_annunciation");
      const names = bitNames(raw, STATUS);
      out.field("sensor_status_annunciation", { raw, flags: names });
      const stop = names.find((n) => INVALID.has(n));
      if (stop) out.suppress(`sensor status annunciation: ${stop}`);
    }
    out.field("context_follows", f.context);
    r.end();
    return out.done();
  },
});

export const vectors: DriverVector[] = [
  {
    name: "seq 1, offset -5 min, 30 kg/L capillary plasma, finger, status 0x0105: no reading (Nordic glucose test)",
    hex: "1b 0100 e307021b0b0a1e fbff 1e00 12 0501",
    expect: {
      readings: [],
      fields: {
        sequence_number: 1, base_time: "2019-02-27T11:10:30", time_offset_min: -5, timestamp: "2019-02-27T11:05:30",
        concentration: 30, unit: "kg/L", type: 2, sample_location: "finger", context_follows: true,
        sensor_status_annunciation: { raw: 0x0105, flags: ["device_battery_low", "sample_size_insufficient", "sensor_temperature_too_low"] },
        no_reading: { concentration: "sensor status annunciation: sample_size_insufficient" },
      },
    },
  },
  {
    name: "5.5 mmol/L capillary whole blood, finger",
    hex: "06 0200 e907010f0e1e2d 37c0 11",
    expect: { readings: [{ vital: "glucose", value: 5.5, unit: "mmol/L", precision: 1 }] },
  },
  {
    name: "95 mg/dL (0.00095 kg/L)",
    hex: "02 0300 e907010f0e1e2d 5fb0 11",
    expect: { readings: [{ vital: "glucose", value: 95, unit: "mg/dL", precision: 0 }] },
  },
  {
    name: "control solution: no reading",
    hex: "02 0400 e907010f0e1e2d 5fb0 4a",
    expect: { readings: [], fields: { sample_type: "control_solution" } },
  },
];

export const mustFail: MustFailVector[] = [
  { name: "time offset flag, frame 2 bytes short (Nordic invalid vector)", hex: "1b 0000 e207041a0b091e 1e00 12 0501", error: "sensor_status_annunciation" },
  { name: "reserved flag bits", hex: "20 0100 e307021b0b0a1e", error: "reserved" },
  { name: "hour 24 in base time", hex: "00 0100 e307021b180a1e", error: "base_time.hours" },
  { name: "negative concentration", hex: "02 0100 e307021b0b0a1e 9bbf 11", error: "concentration" },
];
