/**
 * The only module that files under `devices/` may import: byte readers, IEEE 11073 numbers,
 * flag helpers, Date Time, the output builder and `defineDriver`. Keeping drivers behind this one
 * door lets the core change freely while every driver stays a small data file.
 */
export {
  ByteReader,
  flags,
  bitNames,
  scaled,
  crc16Mcrf4xx,
  sfloatFromRaw,
  floatFromRaw,
  medfloatJson,
  type Medfloat,
  type MedfloatJson,
  type Range,
} from "./core/decode/kit.js";
export { dateTimeIso, addMinutes, type DateTime } from "./core/decode/dateTime.js";
export { output, Output } from "./core/decode/output.js";
export {
  defineDriver,
  type Driver,
  type DriverMatch,
  type DriverModule,
  type DriverVector,
  type MustFailVector,
  type DecodeOutput,
} from "./core/decode/driver.js";
export type { DecodedValue, Vital } from "./core/model.js";
