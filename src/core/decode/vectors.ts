/**
 * Runs a driver module's own vectors and must-fail vectors (theengs-decoder style): every vector
 * must decode to what it says, every must-fail vector must be refused with a DecodeError that
 * names the field and byte offset. Used by the sweep test and by `new-driver` to show what is left.
 */
import { DecodeError } from "../errors.js";
import type { DecodeOutput, Driver, DriverModule } from "./driver.js";
import { ByteReader, hexToBytes } from "./kit.js";

export interface VectorProblem {
  readonly vector: string;
  readonly problem: string;
}

export function decodeHex(driver: Driver, hex: string): DecodeOutput {
  return driver.decode(new ByteReader(hexToBytes(hex), driver.id));
}

export function runVectors(mod: DriverModule): VectorProblem[] {
  const problems: VectorProblem[] = [];
  const bad = (vector: string, problem: string): void => void problems.push({ vector, problem });
  if (mod.vectors.length === 0) bad("(none)", "a driver needs at least one vector");
  if (mod.mustFail.length === 0) bad("(none)", "a driver needs at least one must-fail vector");
  for (const v of mod.vectors) {
    let out: DecodeOutput;
    try {
      out = decodeHex(mod.driver, v.hex);
    } catch (e) {
      bad(v.name, `threw ${(e as Error).message}`);
      continue;
    }
    const { readings, fields } = v.expect;
    if (readings) {
      if (readings.length !== out.readings.length) {
        bad(v.name, `expected ${readings.length} reading(s), got ${JSON.stringify(out.readings)}`);
      } else {
        readings.forEach((want, i) => {
          if (!matches(want, out.readings[i])) bad(v.name, `reading ${i}: want ${JSON.stringify(want)}, got ${JSON.stringify(out.readings[i])}`);
        });
      }
    }
    if (fields && !matches(fields, out.fields)) bad(v.name, `fields: want ${JSON.stringify(fields)}, got ${JSON.stringify(out.fields)}`);
  }
  for (const v of mod.mustFail) {
    try {
      const out = decodeHex(mod.driver, v.hex);
      bad(v.name, `decoded but must fail: ${JSON.stringify(out)}`);
    } catch (e) {
      if (!(e instanceof DecodeError)) bad(v.name, `threw ${String(e)}, not a DecodeError`);
      else if (e.field === undefined || e.offset === undefined) bad(v.name, `error names no field and offset: ${e.message}`);
      else if (v.error !== undefined && !e.message.includes(v.error)) bad(v.name, `error '${e.message}' does not mention '${v.error}'`);
    }
  }
  return problems;
}

/** Partial deep match: every key `want` names must match; numbers within 1e-9. */
export function matches(want: unknown, got: unknown): boolean {
  if (typeof want === "number" && typeof got === "number") return Math.abs(want - got) <= 1e-9 * Math.max(1, Math.abs(want));
  if (Array.isArray(want)) return Array.isArray(got) && got.length === want.length && want.every((w, i) => matches(w, got[i]));
  if (want !== null && typeof want === "object") {
    if (got === null || typeof got !== "object") return false;
    return Object.entries(want).every(([k, w]) => matches(w, (got as Record<string, unknown>)[k]));
  }
  return Object.is(want, got);
}
