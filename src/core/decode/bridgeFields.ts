/**
 * The ONE table from the fields a bridge decoded itself (Theengs decoder keys, as Theengs Gateway
 * and OpenMQTTGateway publish them: ../shared/research/ble-devices.md §5.2) to the gateway's vitals
 * and UCUM units. It is used only for devices no gateway driver reads (bridgeMessage.ts): where a
 * driver exists, the raw advert goes through it and these fields are ignored.
 *
 * Each entry may refuse a reading for a reason the bridge cannot know (an object on the scale, a
 * room thermometer, a strap without skin contact): a wrong vital does more harm than a missing one.
 */
import { DecodeError } from "../errors.js";
import type { Vital } from "../model.js";
import type { DecodeOutput } from "./driver.js";
import { output } from "./output.js";

type Message = Readonly<Record<string, unknown>>;

interface BridgeField {
  readonly vital: Vital;
  /** The UCUM unit of this message's value (may read a sibling key, e.g. `unit`). */
  readonly unit: (msg: Message) => string;
  /** Why this value is no patient reading, if it is not. */
  readonly noReading?: (value: number, msg: Message) => string | undefined;
  /** Values outside are malformed (the bridge or the device is wrong), not a vital sign. */
  readonly range?: readonly [number, number];
}

const ID = "bridge";

const bad = (key: string, why: string): never => {
  throw new DecodeError("decode_malformed", `bridge message: '${key}' ${why}`, ID, key);
};

const noContact = (v: number): string | undefined => (v === 0 ? "0 = strap not in skin contact" : undefined);

// A kitchen scale (Atomax Skale) also sends `weight`: only an explicit person weighing counts.
const personOnly = (_v: number, msg: Message): string | undefined =>
  msg["weighing_mode"] === "person" ? undefined : msg["weighing_mode"] === undefined ? "no weighing_mode: cannot tell a person from an object" : "weighing_mode is not 'person'";

// Every Theengs thermometer in the October 2024 decoder is a room sensor (type THB, BBQ…): 21 °C is
// no body temperature, and NEWS2 would score it 3. Only a device the bridge itself calls BODY counts.
const bodyOnly = (_v: number, msg: Message): string | undefined => (msg["type"] === "BODY" ? undefined : `type ${JSON.stringify(msg["type"] ?? null)} is an ambient sensor, not a body thermometer`);

const scaleUnit = (msg: Message): string => {
  if (msg["unit"] === "kg") return "kg";
  if (msg["unit"] === "lb") return "[lb_av]";
  return bad("unit", `must be "kg" or "lb" beside weight, got ${JSON.stringify(msg["unit"] ?? null).slice(0, 20)}`);
};

export const BRIDGE_FIELDS: Readonly<Record<string, BridgeField>> = {
  bpm: { vital: "heart_rate", unit: () => "/min", noReading: noContact, range: [0, 300] },
  act_bpm: { vital: "heart_rate", unit: () => "/min", noReading: noContact, range: [0, 300] },
  weight: { vital: "body_weight", unit: scaleUnit, noReading: personOnly, range: [0, 700] },
  impedance: { vital: "impedance", unit: () => "Ohm", noReading: personOnly, range: [0, 65535] },
  tempc: { vital: "body_temperature", unit: () => "Cel", noReading: bodyOnly, range: [-60, 150] },
  tempf: { vital: "body_temperature", unit: () => "[degF]", noReading: (v, msg) => (msg["tempc"] !== undefined ? "tempc used instead" : bodyOnly(v, msg)), range: [-76, 302] },
  batt: { vital: "battery_level", unit: () => "%", range: [0, 100] },
  steps: { vital: "steps", unit: () => "{steps}", range: [0, 10_000_000] },
};

/** The table applied to one message; `undefined` when it carries none of the keys. */
export function decodeBridgeFields(msg: Message): DecodeOutput | undefined {
  const keys = Object.keys(BRIDGE_FIELDS).filter((k) => msg[k] !== undefined);
  if (keys.length === 0) return undefined;
  const out = output();
  for (const key of keys) {
    const entry = BRIDGE_FIELDS[key]!;
    const value = msg[key];
    if (typeof value !== "number" || !Number.isFinite(value)) return bad(key, "must be a finite number");
    const [min, max] = entry.range ?? [-Infinity, Infinity];
    if (value < min || value > max) return bad(key, `${value} is outside ${min}..${max}`);
    const why = entry.noReading?.(value, msg);
    if (why === undefined) out.reading(key, entry.vital, value, entry.unit(msg));
    else out.field(key, value).noReading(key, why);
  }
  return out.done();
}
