/**
 * Byte-level primitives for drivers: bounds-checked little-endian reads that fail with the
 * field name and byte offset, IEEE 11073-20601 SFLOAT/FLOAT, flag helpers.
 * Drivers reach these only through `src/driverKit.ts`.
 */
import { DecodeError } from "../errors.js";

/** Result of an IEEE 11073 number: a finite value, or one of its special values. */
export type Medfloat =
  | { readonly kind: "value"; readonly value: number; readonly precision: number }
  | { readonly kind: "NaN" | "NRes" | "+INF" | "-INF" | "RFU" };

/** A cursor over a payload; every read names its field so a short frame says what was missing. */
export class ByteReader {
  offset = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly driverId: string,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private need(n: number, field: string): number {
    if (this.offset + n > this.bytes.length) {
      throw new DecodeError(
        "decode_truncated",
        `${this.driverId}: field '${field}' needs ${n} byte(s) at offset ${this.offset}, frame has ${this.bytes.length}`,
        this.driverId,
        field,
        this.offset,
      );
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  u8(field: string): number {
    return this.bytes[this.need(1, field)]!;
  }

  u16le(field: string): number {
    const o = this.need(2, field);
    return this.bytes[o]! | (this.bytes[o + 1]! << 8);
  }

  s16le(field: string): number {
    const v = this.u16le(field);
    return v >= 0x8000 ? v - 0x10000 : v;
  }

  u24le(field: string): number {
    const o = this.need(3, field);
    return this.bytes[o]! | (this.bytes[o + 1]! << 8) | (this.bytes[o + 2]! << 16);
  }

  u32le(field: string): number {
    const o = this.need(4, field);
    return (this.bytes[o]! | (this.bytes[o + 1]! << 8) | (this.bytes[o + 2]! << 16)) + this.bytes[o + 3]! * 0x1000000;
  }

  /** IEEE 11073-20601 16-bit SFLOAT: 4-bit signed exponent, 12-bit signed mantissa. */
  sfloat(field: string): Medfloat {
    return sfloatFromRaw(this.u16le(field));
  }

  /** IEEE 11073-20601 32-bit FLOAT: 8-bit signed exponent, 24-bit signed mantissa. */
  float(field: string): Medfloat {
    return floatFromRaw(this.u32le(field));
  }

  skip(n: number, field: string): void {
    this.need(n, field);
  }

  /** Fails if bytes are left over where the layout says the frame ends. */
  end(): void {
    if (this.remaining !== 0) {
      throw new DecodeError(
        "decode_malformed",
        `${this.driverId}: ${this.remaining} unexpected trailing byte(s) at offset ${this.offset}`,
        this.driverId,
        "end",
        this.offset,
      );
    }
  }

  fail(code: "decode_reserved" | "decode_range" | "decode_malformed", field: string, at: number, why: string): never {
    throw new DecodeError(code, `${this.driverId}: field '${field}' at offset ${at}: ${why}`, this.driverId, field, at);
  }
}

// IEEE 11073-20601 §F.8: SFLOAT special values live in the mantissa with exponent 0.
const SFLOAT_SPECIAL: Record<number, Medfloat["kind"]> = {
  0x07ff: "NaN",
  0x0800: "NRes",
  0x07fe: "+INF",
  0x0802: "-INF",
  0x0801: "RFU",
};

export function sfloatFromRaw(raw: number): Medfloat {
  const special = SFLOAT_SPECIAL[raw & 0xffff];
  if (special) return { kind: special } as Medfloat;
  let mantissa = raw & 0x0fff;
  let exponent = (raw >> 12) & 0x0f;
  if (mantissa >= 0x0800) mantissa -= 0x1000;
  if (exponent >= 0x08) exponent -= 0x10;
  return { kind: "value", value: scale(mantissa, exponent), precision: Math.max(0, -exponent) };
}

// IEEE 11073-20601 §F.6: FLOAT special values, exponent 0.
const FLOAT_SPECIAL: Record<number, Medfloat["kind"]> = {
  0x007fffff: "NaN",
  0x00800000: "NRes",
  0x007ffffe: "+INF",
  0x00800002: "-INF",
  0x00800001: "RFU",
};

export function floatFromRaw(raw: number): Medfloat {
  const special = FLOAT_SPECIAL[raw >>> 0];
  if (special) return { kind: special } as Medfloat;
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

/** Names the bits of a flags byte: `flags(0x16, {u16: 0, rr: 4})` → `{u16: false, rr: true}`. */
export function flags<K extends string>(byte: number, bits: Record<K, number>): Record<K, boolean> {
  const out = {} as Record<K, boolean>;
  for (const key of Object.keys(bits) as K[]) out[key] = ((byte >> bits[key]) & 1) === 1;
  return out;
}

/** Parses hex with optional spaces or colons; throws on odd length or non-hex characters. */
export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/[\s:]/g, "");
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new Error(`not an even-length hex string: '${hex}'`);
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function bytesToHex(bytes: Uint8Array, max = 64): string {
  const shown = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, "0")).join("");
  return bytes.length > max ? `${shown}…(${bytes.length} bytes)` : shown;
}
