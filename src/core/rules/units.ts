/**
 * Conversion to the unit the rules are written in (DESIGN §3: a reading keeps the unit the device
 * sent; conversion happens where a rule needs it). Unknown units give undefined, never a guess.
 */
import type { Vital } from "../model.js";

/** The unit each rule threshold is expressed in. */
export const CANONICAL_UNIT: Partial<Record<Vital, string>> = {
  heart_rate: "/min",
  pulse_rate: "/min",
  respiratory_rate: "/min",
  spo2: "%",
  systolic_bp: "mm[Hg]",
  body_temperature: "Cel",
};

const MMHG_PER_KPA = 7.500_615_8; // 1 kPa = 1000 Pa / 133.322 387 Pa per mmHg

export function toCanonical(vital: Vital, value: number, unit: string): number | undefined {
  const want = CANONICAL_UNIT[vital];
  if (want === undefined) return undefined;
  if (unit === want) return value;
  if (vital === "body_temperature" && unit === "[degF]") return ((value - 32) * 5) / 9;
  if (vital === "systolic_bp" && unit === "kPa") return value * MMHG_PER_KPA;
  return undefined;
}
