/**
 * Unit conversion to each vital's first (canonical) unit, done where a rule needs it: a reading
 * keeps the unit its device sent (DESIGN §3).
 */
import { VITALS, type Vital } from "./model.js";

const TO_CANONICAL: Readonly<Record<string, (v: number) => number>> = {
  kPa: (v) => v * 7.500617, // 1 kPa = 7.500617 mmHg
  "[degF]": (v) => ((v - 32) * 5) / 9,
  "[lb_av]": (v) => v * 0.45359237,
  "[in_i]": (v) => v * 0.0254,
  "mmol/L": (v) => v * 18.016, // glucose, molar mass 180.16 g/mol
};

/** The value in the vital's canonical unit, or undefined if the unit is not one of the vital's. */
export function toCanonical(vital: Vital, value: number, unit: string): number | undefined {
  const units = VITALS[vital].units as readonly string[];
  if (unit === units[0]) return value;
  if (!units.includes(unit)) return undefined;
  const convert = TO_CANONICAL[unit];
  return convert ? convert(value) : undefined;
}
