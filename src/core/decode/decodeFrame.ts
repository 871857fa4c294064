/**
 * Decodes one frame with the registry. Never throws: a bad frame becomes a DecodeError value,
 * and a driver that throws anything else is named as the culprit (plugin isolation).
 */
import { DecodeError } from "../errors.js";
import type { DecodedValue, RawFrame } from "../model.js";
import { decodeJsonReadings } from "./jsonReadings.js";
import { ByteReader } from "./kit.js";
import type { DriverRegistry } from "./registry.js";

export type DecodeResult =
  | { readonly ok: true; readonly driverId: string; readonly values: readonly DecodedValue[]; readonly fields: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly error: DecodeError };

export function decodeFrame(registry: DriverRegistry, frame: RawFrame): DecodeResult {
  try {
    if (frame.source === "mqtt:json") {
      return { ok: true, driverId: "json", values: decodeJsonReadings(frame.bytes), fields: {} };
    }
    const driver = registry.match(frame);
    if (!driver) {
      return {
        ok: false,
        error: new DecodeError("decode_unknown_source", `no driver for ${frame.source} channel '${frame.channel}'`),
      };
    }
    try {
      const out = driver.decode(new ByteReader(frame.bytes, driver.id));
      return { ok: true, driverId: driver.id, values: out.readings, fields: out.fields };
    } catch (e) {
      if (e instanceof DecodeError) throw e;
      throw new DecodeError("decode_malformed", `${driver.id}: driver threw ${(e as Error)?.message ?? String(e)}`, driver.id);
    }
  } catch (e) {
    return { ok: false, error: e as DecodeError };
  }
}
