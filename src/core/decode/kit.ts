/**
 * Byte-level primitives for drivers: bounds-checked little-endian reads that fail with the
 * field name and byte offset, IEEE 11073-20601 SFLOAT/FLOAT, flag helpers, Date Time.
 * Drivers reach these only through `src/driverKit.ts`.
 */
import { DecodeError } from "../errors.js";
import { floatFromRaw, sfloatFromRaw, type Medfloat } from "./medfloat.js";
import { readDateTime, type DateTime } from "./dateTime.js";

export { floatFromRaw, sfloatFromRaw, medfloatJson, type Medfloat, type MedfloatJson } from "./medfloat.js";

/** An inclusive range a decoded number must fall in, else the frame is rejected (decode_range). */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/** A cursor over a payload; every read names its field so a short frame says what was missing. */
export class ByteReader {
  offset: number;
  /** The field read last, so trailing bytes can say where the layout ended. */
  private lastField = "";
  /** Exclusive end of the readable window (a record inside a frame, or the frame). */
  readonly limit: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly driverId: string,
    start = 0,
    limit = bytes.length,
  ) {
    this.offset = start;
    this.limit = Math.min(limit, bytes.length);
  }

  get remaining(): number {
    return this.limit - this.offset;
  }

  private need(n: number, field: string): number {
    if (this.offset + n > this.limit) {
      const where = this.limit === this.bytes.length ? `frame has ${this.bytes.length}` : `record ends at ${this.limit}`;
      throw new DecodeError(
        "decode_truncated",
        `${this.driverId}: field '${field}' needs ${n} byte(s) at offset ${this.offset}, ${where}`,
        this.driverId,
        field,
        this.offset,
      );
    }
    const at = this.offset;
    this.offset += n;
    this.lastField = field;
    return at;
  }

  u8(field: string): number {
    return this.bytes[this.need(1, field)]!;
  }

  s8(field: string): number {
    const v = this.u8(field);
    return v >= 0x80 ? v - 0x100 : v;
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

  /** An unsigned integer that must lie in `range` (e.g. Battery Level 0..100). */
  u8In(field: string, range: Range): number {
    const at = this.offset;
    return this.inRange(this.u8(field), range, field, at);
  }

  /**
   * IEEE 11073-20601 16-bit SFLOAT: 4-bit signed exponent, 12-bit signed mantissa.
   * With `range`, a finite value outside it rejects the frame; special values pass through.
   */
  sfloat(field: string, range?: Range): Medfloat {
    const at = this.offset;
    const m = sfloatFromRaw(this.u16le(field));
    if (range && m.kind === "value") this.inRange(m.value, range, field, at);
    return m;
  }

  /** IEEE 11073-20601 32-bit FLOAT: 8-bit signed exponent, 24-bit signed mantissa. */
  float(field: string, range?: Range): Medfloat {
    const at = this.offset;
    const m = floatFromRaw(this.u32le(field));
    if (range && m.kind === "value") this.inRange(m.value, range, field, at);
    return m;
  }

  /** A flags byte; any bit in `reservedMask` set rejects the frame (decode_reserved). */
  flags8<K extends string>(field: string, bits: Record<K, number>, reservedMask: number): Record<K, boolean> & { raw: number } {
    const at = this.offset;
    const raw = this.u8(field);
    this.reserved(raw, reservedMask, field, at);
    const out = flags(raw, bits) as Record<K, boolean> & { raw: number };
    out.raw = raw;
    return out;
  }

  /** A 16-bit little-endian flags field; see `flags8`. */
  flags16<K extends string>(field: string, bits: Record<K, number>, reservedMask: number): Record<K, boolean> & { raw: number } {
    const at = this.offset;
    const raw = this.u16le(field);
    this.reserved(raw, reservedMask, field, at);
    const out = flags(raw, bits) as Record<K, boolean> & { raw: number };
    out.raw = raw;
    return out;
  }

  /** GATT Date Time (0x2A08), 7 bytes, with each part range-checked; 0 means "unknown". */
  dateTime(field: string): DateTime {
    const at = this.offset;
    this.need(7, field);
    this.offset = at;
    return readDateTime(this, field);
  }

  /** A window of `n` bytes read by a child reader (offsets stay frame-absolute); advances past it. */
  sub(n: number, field: string): ByteReader {
    const at = this.need(n, field);
    return new ByteReader(this.bytes, this.driverId, at, at + n);
  }

  skip(n: number, field: string): void {
    this.need(n, field);
  }

  /** Fails if bytes are left over where the layout says the frame ends. */
  end(): void {
    if (this.remaining !== 0) {
      throw new DecodeError(
        "decode_malformed",
        `${this.driverId}: ${this.remaining} unexpected trailing byte(s) at offset ${this.offset}${this.lastField ? `, after field '${this.lastField}'` : ""}`,
        this.driverId,
        "trailing_bytes",
        this.offset,
      );
    }
  }

  fail(code: "decode_reserved" | "decode_range" | "decode_malformed", field: string, at: number, why: string): never {
    throw new DecodeError(code, `${this.driverId}: field '${field}' at offset ${at}: ${why}`, this.driverId, field, at);
  }

  inRange(value: number, range: Range, field: string, at: number): number {
    if (value < range.min || value > range.max) {
      this.fail("decode_range", field, at, `${value} is outside ${range.min}..${range.max}`);
    }
    return value;
  }

  private reserved(raw: number, mask: number, field: string, at: number): void {
    const set = raw & mask;
    if (set !== 0) this.fail("decode_reserved", field, at, `reserved bit(s) 0x${set.toString(16)} set`);
  }
}

/** Names the bits of a flags value: `flags(0x16, {u16: 0, rr: 4})` → `{u16: false, rr: true}`. */
export function flags<K extends string>(value: number, bits: Record<K, number>): Record<K, boolean> {
  const out = {} as Record<K, boolean>;
  // Flag words are at most 24 bits wide, so 32-bit shifts are exact.
  for (const key in bits) out[key] = ((value >>> bits[key]) & 1) === 1;
  return out;
}

/** The names of the set bits of a status word, from a table `bit → name` (for `fields`). */
export function bitNames(value: number, names: readonly (string | undefined)[]): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < names.length; bit++) {
    const name = names[bit];
    if (name !== undefined && ((value >>> bit) & 1) === 1) out.push(name);
  }
  return out;
}

/** raw × step, rounded to the step's decimals so 15992 × 0.005 is 79.96, not 79.96000000000001. */
export function scaled(raw: number, step: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(raw * step * f) / f;
}

/** CRC-16/MCRF4XX (reflected poly 0x8408, init 0xFFFF, no final XOR): the CGM E2E-CRC (CGMS §3.2.1.5). */
export function crc16Mcrf4xx(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) {
    crc ^= bytes[i]!;
    for (let b = 0; b < 8; b++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc;
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
