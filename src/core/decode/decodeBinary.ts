/** A binary frame (GATT value or advert) through the driver the registry finds for it. Throws DecodeError. */
import { DecodeError } from "../errors.js";
import type { DecodedValue, RawFrame } from "../model.js";
import { ByteReader } from "./kit.js";
import type { DriverRegistry } from "./registry.js";

export interface Decoded {
  readonly driverId: string;
  readonly values: readonly DecodedValue[];
  readonly fields: Readonly<Record<string, unknown>>;
}

export function decodeBinary(registry: DriverRegistry, frame: RawFrame): Decoded {
  const driver = registry.match(frame);
  if (!driver) throw new DecodeError("decode_unknown_source", `no driver for ${frame.source} channel '${frame.channel}'`);
  try {
    const out = driver.decode(new ByteReader(frame.bytes, driver.id));
    return { driverId: driver.id, values: out.readings, fields: out.fields };
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    // Plugin isolation: a driver that throws anything else is named as the culprit.
    throw new DecodeError("decode_malformed", `${driver.id}: driver threw ${(e as Error)?.message ?? String(e)}`, driver.id);
  }
}
