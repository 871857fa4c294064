/**
 * Every public vector in test/fixtures/gatt/gatt-vectors.json runs through the driver that covers it
 * (or the kit, for bare SFLOAT/FLOAT). Each asserted key is mapped to our field; an unmapped key fails
 * the test, so no assertion of a source is silently skipped.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { driverModules } from "../../devices/index.js";
import { DecodeError } from "../../src/core/errors.js";
import { floatFromRaw, hexToBytes, medfloatJson, sfloatFromRaw } from "../../src/core/decode/kit.js";
import { DriverRegistry } from "../../src/core/decode/registry.js";
import { decodeHex, matches } from "../../src/core/decode/vectors.js";
import type { DecodeOutput, Driver } from "../../src/core/decode/driver.js";

interface Vector {
  source: string;
  characteristic: string;
  hex: string;
  expected: Record<string, unknown> | Record<string, unknown>[];
  spec_derived?: Record<string, unknown>;
  advertisement?: { servicedata?: string };
  license: string;
}

const VECTORS = JSON.parse(readFileSync(new URL("../fixtures/gatt/gatt-vectors.json", import.meta.url), "utf8")) as Vector[];
const registry = new DriverRegistry(Object.values(driverModules).map((m) => m.driver));

type F = Record<string, unknown>;
const UNITS: Record<string, string> = { C: "Cel", F: "[degF]", mmHg: "mm[Hg]", kPa: "kPa", kg: "kg", lb: "[lb_av]", "kg/L": "kg/L", "mol/L": "mol/L", m: "m" };
const LOCATIONS: Record<number, string> = { 1: "finger", 2: "alternate_site_test", 3: "earlobe", 4: "control_solution", 15: "not_available" };
const bit = (f: F, field: string, name: string): boolean => ((f[field] as { flags: string[] }).flags).includes(name);
const status = (f: F) => ({
  bodyMovement: bit(f, "measurement_status", "body_movement"),
  cuffTooLoose: bit(f, "measurement_status", "cuff_too_loose"),
  irregularPulse: bit(f, "measurement_status", "irregular_pulse"),
  pulseRateRange: (f.measurement_status as F).pulse_rate_range,
  improperPosition: bit(f, "measurement_status", "improper_position"),
});
const raw = (field: string) => (f: F) => (f[field] as { raw: number }).raw;

/** Source key → how to read it from our output; `undefined` means "description, not a decoded value". */
const KEYS: Record<string, ((f: F) => unknown) | undefined> = {
  heartRate: (f) => f.heart_rate, bpm: (f) => f.heart_rate, act_bpm: (f) => f.heart_rate,
  sensorContact: (f) => f.sensor_contact,
  energyExpended_kJ: (f) => f.energy_expended,
  rrIntervals_1_1024s: (f) => (f.rr_intervals as number[]).map((s) => s * 1024),
  temperature: (f) => f.temperature, temperatureType: (f) => f.temperature_type,
  unit: (f) => f.unit, massUnit: (f) => f.unit, heightUnit: (f) => (f.unit === "kg" ? "m" : "[in_i]"),
  timestamp: (f) => f.timestamp,
  systolic: (f) => f.systolic, diastolic: (f) => f.diastolic, meanArterialPressure: (f) => f.mean_arterial_pressure,
  cuffPressure: (f) => f.cuff_pressure, pulseRate: (f) => f.pulse_rate, userId: (f) => f.user_id,
  measurementStatus: (f) => (typeof (f.measurement_status as F).pulse_rate_range === "string" ? status(f) : raw("measurement_status")(f)),
  spo2: (f) => f.spo2, pulseAmplitudeIndex: (f) => f.pulse_amplitude_index,
  deviceAndSensorStatus: raw("device_and_sensor_status"),
  supportedFeatures: (f) => f.supported_features,
  measurementStatusSupport: (f) => f.measurement_status_support,
  deviceAndSensorStatusSupport: (f) => f.device_and_sensor_status_support,
  sequenceNumber: (f) => f.sequence_number, baseTime: (f) => f.base_time, timeOffset_min: (f) => f.time_offset_min,
  concentration: (f) => f.concentration, type: (f) => f.type,
  sampleLocation: (f) => Number(Object.keys(LOCATIONS).find((k) => LOCATIONS[Number(k)] === f.sample_location)),
  sensorStatusAnnunciation: raw("sensor_status_annunciation"),
  contextFollows: (f) => f.context_follows,
  status: (f) => f.status, e2eCrc: (f) => f.e2e_crc, crcValid: () => true,
  batteryLevel_pct: (f) => f.battery_level, batt: (f) => f.battery_level,
  dateTime: (f) => f.date_time, yearKnown: (f) => f.year_known,
  dayOfWeek: (f) => f.day_of_week, fractions256: (f) => f.fractions256, adjustReason: raw("adjust_reason"),
  weight: (f) => f.weight, bmi: (f) => f.bmi, height: (f) => f.height,
  bodyFat_pct: (f) => f.body_fat, impedance_ohm: (f) => f.impedance, impedance: (f) => f.impedance,
  basalMetabolism_kJ: (f) => f.basal_metabolism, musclePercentage_pct: (f) => f.muscle_percentage,
  softLeanMass: (f) => f.soft_lean_mass, bodyWaterMass: (f) => f.body_water_mass,
  weighing_mode: (f) => f.weighing_mode, steps: (f) => f.steps,
  cidc: undefined, acts: undefined, track: undefined, device: undefined, mac: undefined,
};
const RECORD_KEYS: Record<string, string> = {
  size: "size", glucose_mg_dL: "glucose", timeOffset_min: "time_offset_min", statusOctet: "status_octet", calTempOctet: "cal_temp_octet",
  warningOctet: "warning_octet", trend_mg_dL_min: "trend", quality_pct: "quality", e2eCrc: "e2e_crc",
};
const isAdvertDescription = (v: Vector, key: string) => v.characteristic.startsWith("adv:") && ["type", "brand", "model", "model_id"].includes(key);

function driverFor(v: Vector): Driver | undefined {
  const c = v.characteristic.toLowerCase();
  if (c.startsWith("adv:service_data:")) return registry.forServiceData(c.slice(17));
  if (c.startsWith("adv:manufacturer_data")) {
    const b = hexToBytes(v.hex);
    return registry.forManufacturer(b[0]! | (b[1]! << 8));
  }
  return registry.forGatt(c);
}

function decodeVector(v: Vector, driver: Driver): DecodeOutput {
  const out = decodeHex(driver, v.hex);
  const sd = v.advertisement?.servicedata;
  if (!v.characteristic.endsWith("+service_data") || !sd) return out;
  // Mi Band: steps travel in service data 0xFEE0 beside the manufacturer data.
  const steps = decodeHex(registry.forServiceData("fee0")!, sd);
  return { readings: [...out.readings, ...steps.readings], fields: { ...out.fields, ...steps.fields } };
}

function expectValid(v: Vector, invalid: boolean): void {
  const driver = driverFor(v)!;
  if (invalid) {
    let error: unknown;
    try {
      decodeHex(driver, v.hex);
    } catch (e) {
      error = e;
    }
    expect(error, "must be refused").toBeInstanceOf(DecodeError);
    expect((error as DecodeError).offset).toBeTypeOf("number");
    return;
  }
  const out = decodeVector(v, driver);
  if (Array.isArray(v.expected)) {
    const records = out.fields.records as F[];
    expect(records.length).toBe(v.expected.length);
    v.expected.forEach((want, i) => {
      for (const [k, w] of Object.entries(want)) {
        if (k === "crcValid") continue;
        expect(RECORD_KEYS[k], `unmapped CGM key ${k}`).toBeDefined();
        expect(matches(w, records[i]![RECORD_KEYS[k]!]), `record ${i} ${k}: want ${JSON.stringify(w)} got ${JSON.stringify(records[i]![RECORD_KEYS[k]!])}`).toBe(true);
      }
    });
    return;
  }
  const want = { ...v.expected, ...v.spec_derived };
  for (const [k, w] of Object.entries(want)) {
    if (isAdvertDescription(v, k)) continue;
    expect(k in KEYS, `unmapped key ${k}`).toBe(true);
    const read = KEYS[k];
    if (!read) continue;
    const expected = (k === "unit" || k === "massUnit" || k === "heightUnit") && typeof w === "string" ? UNITS[w] ?? w : w;
    const got = read(out.fields);
    expect(matches(expected, got), `${k}: want ${JSON.stringify(expected)} got ${JSON.stringify(got)}`).toBe(true);
  }
}

describe("public GATT vectors (test/fixtures/gatt)", () => {
  it("are all present and each names its source and licence", () => {
    expect(VECTORS.length).toBe(92);
    for (const v of VECTORS) expect(v.source.length * v.license.length).toBeGreaterThan(0);
  });

  it("are every one covered by a driver or the kit", () => {
    const uncovered = VECTORS.filter((v) => !["SFLOAT", "FLOAT"].includes(v.characteristic) && !driverFor(v));
    expect(uncovered.map((v) => `${v.characteristic} ${v.hex}`)).toEqual([]);
  });

  const numbers = VECTORS.filter((v) => v.characteristic === "SFLOAT" || v.characteristic === "FLOAT");
  it.each(numbers.map((v) => [`${v.characteristic} ${v.hex}`, v] as const))("%s", (_n, v) => {
    const b = hexToBytes(v.hex);
    const m = v.characteristic === "SFLOAT" ? sfloatFromRaw(b[0]! | (b[1]! << 8)) : floatFromRaw((b[0]! | (b[1]! << 8) | (b[2]! << 16)) + b[3]! * 0x1000000);
    expect(matches((v.expected as F).value, medfloatJson(m))).toBe(true);
  });

  const frames = VECTORS.filter((v) => !numbers.includes(v));
  it.each(frames.map((v) => [`${v.characteristic} ${v.hex} (${v.source.split("#")[1] ?? v.source.split("/")[1]})`, v] as const))("%s", (_n, v) => {
    const e = v.expected as F;
    const invalid = e.invalid === true || e.crcValid === false;
    expectValid(v, invalid);
  });
});
