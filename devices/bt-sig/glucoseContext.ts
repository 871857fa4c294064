import { defineDriver, medfloatJson, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: Glucose Measurement Context, characteristic 0x2A34 (Glucose Service 1.0 §3.2; GSS §3.105)
//   byte 0      flags: bit0 carbohydrate · bit1 meal · bit2 tester-health · bit3 exercise · bit4 medication
//                      bit5 medication unit (0 kg, 1 L) · bit6 HbA1c · bit7 extended flags present
//   next 1      extended flags (all reserved, must be 0)                    if bit7
//   next 2      sequence number, uint16 LE (matches the Glucose Measurement it describes)
//   next 1+2    carbohydrate id u8, carbohydrate SFLOAT (kg)                if bit0
//   next 1      meal u8 (1 preprandial … 5 bedtime)                         if bit1
//   next 1      tester (low nibble) · health (high nibble)                  if bit2
//   next 2+1    exercise duration u16 (s, 0xFFFF = overrun) · intensity u8 (%) if bit3
//   next 1+2    medication id u8 · medication SFLOAT (kg or L)              if bit4
//   next 2      HbA1c SFLOAT (%)                                            if bit6
// Context describes a measurement; it carries no vital sign, so it produces fields and no readings.
const CARBS = [undefined, "breakfast", "lunch", "dinner", "snack", "drink", "supper", "brunch"];
const MEALS = [undefined, "preprandial", "postprandial", "fasting", "casual", "bedtime"];
const TESTERS = [undefined, "self", "health_care_professional", "lab_test"];
const HEALTH = [undefined, "minor_health_issues", "major_health_issues", "during_menses", "under_stress", "no_health_issues"];
const MEDICATION = [undefined, "rapid_acting_insulin", "short_acting_insulin", "intermediate_acting_insulin", "long_acting_insulin", "premixed_insulin"];
const name = (table: readonly (string | undefined)[], code: number): string => (code === 0x0f ? "not_available" : table[code] ?? "reserved");

export const driver = defineDriver({
  id: "bt-sig.glucose-context",
  name: "Glucose Measurement Context (0x2A34)",
  match: { gatt: "2a34" },
  decode(r) {
    const f = r.flags8("flags", { carb: 0, meal: 1, tester: 2, exercise: 3, medication: 4, litres: 5, hba1c: 6, extended: 7 }, 0);
    const out = output();
    if (f.extended) {
      const at = r.offset;
      if (r.u8("extended_flags") !== 0) r.fail("decode_reserved", "extended_flags", at, "reserved extended flags set");
    }
    out.field("sequence_number", r.u16le("sequence_number"));
    if (f.carb) {
      out.field("carbohydrate", name(CARBS, r.u8("carbohydrate_id")));
      out.field("carbohydrate_kg", medfloatJson(r.sfloat("carbohydrate_kg")));
    }
    if (f.meal) out.field("meal", name(MEALS, r.u8("meal")));
    if (f.tester) {
      const th = r.u8("tester_health");
      out.field("tester", name(TESTERS, th & 0x0f)).field("health", name(HEALTH, th >> 4));
    }
    if (f.exercise) {
      const s = r.u16le("exercise_duration");
      out.field("exercise_duration_s", s === 0xffff ? "overrun" : s).field("exercise_intensity_pct", r.u8("exercise_intensity"));
    }
    if (f.medication) {
      out.field("medication", name(MEDICATION, r.u8("medication_id")));
      out.field(f.litres ? "medication_l" : "medication_kg", medfloatJson(r.sfloat("medication")));
    }
    if (f.hba1c) out.field("hba1c_pct", medfloatJson(r.sfloat("hba1c")));
    r.end();
    return out.done();
  },
});

export const vectors: DriverVector[] = [
  {
    name: "seq 1, breakfast 60 g, preprandial, self/no issues, HbA1c 6.5 %",
    hex: "47 0100 01 3cd0 01 51 41f0",
    expect: { readings: [], fields: { sequence_number: 1, carbohydrate: "breakfast", carbohydrate_kg: 0.06, meal: "preprandial", tester: "self", health: "no_health_issues", hba1c_pct: 6.5 } },
  },
  { name: "sequence number only", hex: "00 0700", expect: { readings: [], fields: { sequence_number: 7 } } },
];

export const mustFail: MustFailVector[] = [
  { name: "meal flag, meal missing", hex: "02 0100", error: "'meal' needs 1 byte(s) at offset 3" },
  { name: "reserved extended flags", hex: "80 01 0100", error: "extended_flags" },
];
