/**
 * The JSON reading format, for devices and bridges that send values rather than bytes:
 *   {"vital": "spo2", "value": 97, "unit": "%", "time": 1764050000000}
 * or an array of such objects. `time` (ms since epoch or ISO-8601) is optional.
 */
import { DecodeError } from "../errors.js";
import { isUnitOf, isVital, type DecodedValue } from "../model.js";

const ID = "json";

export function decodeJsonReadings(bytes: Uint8Array): DecodedValue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    throw new DecodeError("decode_malformed", `json: payload is not UTF-8 JSON (${(e as Error).message})`, ID, "payload", 0);
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  if (items.length === 0) throw new DecodeError("decode_malformed", "json: empty array", ID, "payload", 0);
  return items.map((item, i) => readOne(item, Array.isArray(parsed) ? `[${i}]` : ""));
}

/** A client's value, quoted and cut short: error messages are logged, and must stay bounded. */
const quoted = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
};

function readOne(item: unknown, at: string): DecodedValue {
  const bad = (field: string, why: string): never => {
    throw new DecodeError("decode_malformed", `json: ${at}${at ? "." : ""}${field} ${why}`, ID, `${at}${field}`);
  };
  if (typeof item !== "object" || item === null || Array.isArray(item)) return bad("reading", "must be an object");
  const { vital, value, unit, time } = item as Record<string, unknown>;
  if (typeof vital !== "string" || !isVital(vital)) return bad("vital", `is not a known vital: ${quoted(vital)}`);
  if (typeof value !== "number" || !Number.isFinite(value)) return bad("value", "must be a finite number");
  if (typeof unit !== "string" || !isUnitOf(vital, unit)) return bad("unit", `${quoted(unit)} is not a unit of ${vital}`);
  const out: DecodedValue = { vital, value, unit };
  if (time === undefined) return out;
  const ms = typeof time === "number" ? time : typeof time === "string" ? Date.parse(time) : NaN;
  if (!Number.isFinite(ms)) return bad("time", "must be ms since epoch or an ISO-8601 string");
  return { ...out, time: ms };
}
