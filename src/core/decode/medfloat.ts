/**
 * IEEE 11073-20601 numbers as they appear in GATT health profiles: 16-bit SFLOAT and 32-bit FLOAT,
 * each with reserved bit patterns for NaN, NRes, ±INFINITY and RFU (§F.6, §F.8).
 */

/** Result of an IEEE 11073 number: a finite value, or one of its special values. */
export type Medfloat =
  | { readonly kind: "value"; readonly value: number; readonly precision: number }
  | { readonly kind: "NaN" | "NRes" | "+INF" | "-INF" | "RFU" };

/** How a Medfloat shows in `fields` and in `decode sfloat`: the number, or the special value's name. */
export type MedfloatJson = number | "NaN" | "NRes" | "+INF" | "-INF" | "RFU";

// IEEE 11073-20601 §F.8: SFLOAT special values live in the mantissa with exponent 0; the whole
// 16-bit pattern must match (0xF800 is -204.8, not NRes).
const SFLOAT_SPECIAL: Readonly<Record<number, Exclude<Medfloat["kind"], "value">>> = {
  0x07ff: "NaN",
  0x0800: "NRes",
  0x07fe: "+INF",
  0x0802: "-INF",
  0x0801: "RFU",
};

export function sfloatFromRaw(raw: number): Medfloat {
  const special = SFLOAT_SPECIAL[raw & 0xffff];
  if (special) return { kind: special };
  let mantissa = raw & 0x0fff;
  let exponent = (raw >> 12) & 0x0f;
  if (mantissa >= 0x0800) mantissa -= 0x1000;
  if (exponent >= 0x08) exponent -= 0x10;
  return { kind: "value", value: scale(mantissa, exponent), precision: Math.max(0, -exponent) };
}

// IEEE 11073-20601 §F.6: FLOAT special values, exponent 0.
const FLOAT_SPECIAL: Readonly<Record<number, Exclude<Medfloat["kind"], "value">>> = {
  0x007fffff: "NaN",
  0x00800000: "NRes",
  0x007ffffe: "+INF",
  0x00800002: "-INF",
  0x00800001: "RFU",
};

export function floatFromRaw(raw: number): Medfloat {
  const special = FLOAT_SPECIAL[raw >>> 0];
  if (special) return { kind: special };
  let mantissa = raw & 0x00ffffff;
  let exponent = (raw >>> 24) & 0xff;
  if (mantissa >= 0x00800000) mantissa -= 0x01000000;
  if (exponent >= 0x80) exponent -= 0x100;
  return { kind: "value", value: scale(mantissa, exponent), precision: Math.max(0, -exponent) };
}

/** mantissa × 10^exponent without binary drift for negative exponents (3.7 stays 3.7). */
function scale(mantissa: number, exponent: number): number {
  return exponent < 0 ? mantissa / 10 ** -exponent : mantissa * 10 ** exponent;
}

export function medfloatJson(m: Medfloat): MedfloatJson {
  return m.kind === "value" ? m.value : m.kind;
}
