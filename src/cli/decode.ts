/**
 * `vitals-gateway decode <source> <hex>` (DESIGN §4): decodes one payload with the driver registry and prints
 * `{"driver", "readings", "fields"}` as JSON; `sfloat`/`float` print `{"value"}`. A malformed payload exits 1
 * with a message naming the field and byte offset; a bad source or hex is a usage error (exit 2).
 */
import { driverModules } from "../../devices/index.js";
import { decodeFrame } from "../core/decode/decodeFrame.js";
import { ByteReader, hexToBytes, medfloatJson } from "../core/decode/kit.js";
import { DriverRegistry } from "../core/decode/registry.js";
import { DecodeError } from "../core/errors.js";
import type { RawFrame } from "../core/model.js";
import { parseFlags, UsageError, withUsage } from "./args.js";

export const USAGE = `usage: vitals-gateway decode <source> <hex>
       vitals-gateway decode bridge '<json>'
  <source>  a GATT characteristic (2a37, 0x2A37 or its 128-bit UUID), sfloat, float,
            adv:service_data:<uuid16> (hex of the service data, UUID not included), or
            adv:manufacturer_data (hex with the 2-byte little-endian company id first)
  <hex>     the payload; spaces and colons are ignored
  bridge    one Theengs Gateway / OpenMQTTGateway message, as mosquitto_sub shows it`;

const BASE_UUID = /^0000([0-9a-f]{4})-0000-1000-8000-00805f9b34fb$/;

/** Maps a `<source>` argument to the frame an adapter would build for it. */
export function frameSource(source: string): Pick<RawFrame, "source" | "channel"> {
  const s = source.toLowerCase();
  const gatt = /^(?:0x)?([0-9a-f]{4})$/.exec(s) ?? BASE_UUID.exec(s);
  if (gatt) return { source: "ble:gatt", channel: gatt[1]! };
  const sd = /^adv:service_data:(?:0x)?([0-9a-f]{4})$/.exec(s);
  if (sd) return { source: "ble:adv", channel: `service_data:${sd[1]!}` };
  if (s === "adv:manufacturer_data") return { source: "ble:adv", channel: "manufacturer_data" };
  throw new UsageError(`unknown source '${source}'`);
}

export function run(args: string[]): Promise<number> {
  return withUsage(USAGE, () => Promise.resolve(decode(args)));
}

function decode(args: string[]): number {
  const { positionals } = parseFlags(args, {}, true);
  const [source, ...hexParts] = positionals;
  if (source === undefined || hexParts.length === 0) throw new UsageError("decode needs <source> and <hex>");
  if (source.toLowerCase() === "bridge") return bridge(hexParts.join(" "));
  let bytes: Uint8Array;
  try {
    bytes = hexToBytes(hexParts.join("").replace(/^0x/i, ""));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const kind = source.toLowerCase();
  if (kind === "sfloat" || kind === "float") return number(kind, bytes);
  const frame: RawFrame = { deviceId: "cli", ...frameSource(source), bytes, receivedAt: 0 };
  const registry = new DriverRegistry(Object.values(driverModules).map((m) => m.driver));
  const result = decodeFrame(registry, frame);
  if (!result.ok) return failed(result.error);
  print({ driver: result.driverId, readings: result.values, fields: result.fields });
  return 0;
}

/** A bridge message is JSON, not hex: decoded as if it arrived on …/BTtoMQTT/undecoded. */
function bridge(json: string): number {
  const frame: RawFrame = { deviceId: "undecoded", source: "mqtt:bridge", channel: "cli", bytes: new TextEncoder().encode(json), receivedAt: 0 };
  const result = decodeFrame(new DriverRegistry(Object.values(driverModules).map((m) => m.driver)), frame);
  if (!result.ok) return failed(result.error);
  print({ device: result.heard?.deviceId, driver: result.driverId, readings: result.values, fields: result.fields });
  return 0;
}

function number(kind: "sfloat" | "float", bytes: Uint8Array): number {
  const r = new ByteReader(bytes, kind);
  try {
    const m = kind === "sfloat" ? r.sfloat("value") : r.float("value");
    r.end();
    print({ value: medfloatJson(m) });
    return 0;
  } catch (e) {
    if (e instanceof DecodeError) return failed(e);
    throw e;
  }
}

function failed(e: DecodeError): number {
  process.stderr.write(`vitals-gateway decode: ${e.message}\n`);
  return 1;
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
