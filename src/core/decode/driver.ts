/** The shape of a driver: a small declarative record plus one pure decode function. */
import type { DecodedValue } from "../model.js";
import type { ByteReader } from "./kit.js";

/** What a driver answers to. GATT UUIDs and company ids are lowercase 16-bit hex. */
export interface DriverMatch {
  /** GATT characteristic, e.g. `2a37`, over `ble:gatt` or `mqtt:gatt`. */
  readonly gatt?: string;
  /** Advertisement service data UUID, e.g. `181d`. */
  readonly serviceData?: string;
  /** Advertisement manufacturer data company id, e.g. 0x006b (Polar). */
  readonly manufacturerId?: number;
}

export interface DecodeOutput {
  readonly readings: readonly DecodedValue[];
  /** Every field the frame carried, decoded, including ones that produce no reading (and why). */
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface Driver {
  readonly id: string;
  readonly name: string;
  readonly match: DriverMatch;
  decode(reader: ByteReader): DecodeOutput;
}

export interface DriverVector {
  readonly name: string;
  readonly hex: string;
  readonly expect: {
    readonly readings?: readonly Partial<DecodedValue>[];
    readonly fields?: Readonly<Record<string, unknown>>;
  };
}

export interface MustFailVector {
  readonly name: string;
  readonly hex: string;
  /** Substring the error message must contain (e.g. the field name). */
  readonly error?: string;
}

/** What each file under `devices/` exports. */
export interface DriverModule {
  readonly driver: Driver;
  readonly vectors: readonly DriverVector[];
  readonly mustFail: readonly MustFailVector[];
}

export function defineDriver(driver: Driver): Driver {
  return driver;
}
