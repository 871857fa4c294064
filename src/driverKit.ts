/**
 * The only module that files under `devices/` may import: byte readers, IEEE 11073 numbers,
 * flag helpers and `defineDriver`. Keeping drivers behind this one door lets the core change
 * freely while every driver stays a small data file.
 */
export { ByteReader, flags, sfloatFromRaw, floatFromRaw, type Medfloat } from "./core/decode/kit.js";
export {
  defineDriver,
  type Driver,
  type DriverModule,
  type DriverVector,
  type MustFailVector,
  type DecodeOutput,
} from "./core/decode/driver.js";
export type { DecodedValue, Vital } from "./core/model.js";
