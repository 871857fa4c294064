/**
 * A Theengs Gateway / OpenMQTTGateway message (../shared/research/ble-devices.md §5): one JSON
 * object per advert heard, e.g.
 *   {"id":"D0:62:2C:3E:7A:9B","rssi":-66,"servicedata":"223e30e607020e10293a","servicedatauuid":"0x181d", …}
 * `id` (the MAC) names the device: lower case, no colons, as the hub's own radio names it.
 * The gateway's decoding wins: raw advert fields (`servicedata` + `servicedatauuid`,
 * `manufacturerdata` with the company id first) go through the gateway's own drivers. Fields the
 * bridge decoded (`bpm`, `weight`…, bridgeFields.ts) count only for devices no driver knows, and
 * never for a model a driver covers: there the bridge would skip the driver's checks (a strap
 * without contact, a scale not yet stable), so the message is refused, saying how to get raw data.
 */
import { DecodeError } from "../errors.js";
import type { RawFrame } from "../model.js";
import { BRIDGE_FIELDS, decodeBridgeFields } from "./bridgeFields.js";
import { decodeBinary, type Decoded } from "./decodeBinary.js";
import type { Heard } from "./decodeFrame.js";
import { hexToBytes } from "./kit.js";
import type { DriverRegistry } from "./registry.js";

const ID = "bridge";
const MAC = /^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$/;
const HEX = /^(?:[0-9A-Fa-f]{2})+$/;
const UUID16 = /^(?:0x)?([0-9A-Fa-f]{4})$/;

/** Theengs `model_id`s of devices a gateway driver reads (devices/): their decoded-only messages are refused. */
const DRIVEN_MODELS: readonly RegExp[] = [/^P?H10$/, /XMTZC0[1245]HM/, /^X2$/, /^(MB|MiBand|Mi Band)/];

const bad = (key: string, why: string): never => {
  throw new DecodeError("decode_malformed", `bridge message: '${key}' ${why}`, ID, key);
};

export function decodeBridgeMessage(registry: DriverRegistry, frame: RawFrame): Decoded & { heard: Heard } {
  const msg = parseObject(frame.bytes);
  const id = msg["id"];
  if (typeof id !== "string" || !MAC.test(id)) return bad("id", "must be the device's MAC, AA:BB:CC:DD:EE:FF");
  const deviceId = id.replace(/:/g, "").toLowerCase();
  if (frame.deviceId !== "undecoded" && frame.deviceId !== deviceId) return bad("id", `${id} is not the MAC in the topic (${frame.deviceId})`);
  const rssi = msg["rssi"];
  if (rssi !== undefined && (typeof rssi !== "number" || !Number.isInteger(rssi) || rssi < -127 || rssi > 20)) return bad("rssi", "must be an integer dBm");
  const heard: Heard = { deviceId, via: frame.channel, ...(rssi === undefined ? {} : { rssi }) };

  const adverts = rawAdverts(msg, { ...frame, deviceId });
  const driven = adverts.find((a) => registry.match(a) !== undefined);
  if (driven) return { ...decodeBinary(registry, driven), heard };

  const model = msg["model_id"];
  const own = decodeBridgeFields(msg);
  if (own && typeof model === "string" && DRIVEN_MODELS.some((m) => m.test(model))) {
    return bad("model_id", `${model.slice(0, 40)}: decoded by the bridge only; a gateway driver reads this device, so publish the raw advert (Theengs Gateway: publish_advdata / -padv; OpenMQTTGateway: pubadvdata)`);
  }
  if (own) return { driverId: `bridge:${typeof model === "string" && /^[\w ./-]{1,40}$/.test(model) ? model : "fields"}`, values: own.readings, fields: own.fields, heard };
  const raw = adverts.map((a) => `${a.channel}${a.channel === "manufacturer_data" ? company(a.bytes) : ""}`).join(", ");
  const what = raw || "a message without servicedata or manufacturerdata";
  throw new DecodeError("decode_unknown_source", `bridge message: no driver for ${what} and no decoded health key (${Object.keys(BRIDGE_FIELDS).join(", ")})`, ID, "id");
}

const company = (b: Uint8Array): string => ` 0x${(b[0]! | (b[1]! << 8)).toString(16).padStart(4, "0")}`;

function parseObject(bytes: Uint8Array): Readonly<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    throw new DecodeError("decode_malformed", `bridge message: payload is not UTF-8 JSON (${(e as Error).message})`, ID, "payload", 0);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return bad("payload", "must be one JSON object");
  return parsed as Record<string, unknown>;
}

/** The raw advert fields as the adapter-level frames the drivers already read (mqtt:adv). */
function rawAdverts(msg: Readonly<Record<string, unknown>>, frame: RawFrame): RawFrame[] {
  const out: RawFrame[] = [];
  const hex = (key: string): Uint8Array => {
    const v = msg[key];
    return typeof v === "string" && HEX.test(v) ? hexToBytes(v) : bad(key, "must be an even number of hex digits");
  };
  if (msg["servicedata"] !== undefined) {
    // Older OpenMQTTGateway builds send servicedata alone: no driver can claim it without its UUID.
    const given = msg["servicedatauuid"];
    const uuid = typeof given === "string" ? UUID16.exec(given)?.[1] : undefined;
    if (given !== undefined && uuid === undefined) return bad("servicedatauuid", "must be a 16-bit UUID such as 0x181d");
    const channel = uuid === undefined ? "service_data without servicedatauuid" : `service_data:${uuid.toLowerCase()}`;
    out.push({ ...frame, source: "mqtt:adv", channel, bytes: hex("servicedata") });
  }
  if (msg["manufacturerdata"] !== undefined) {
    const bytes = hex("manufacturerdata");
    if (bytes.length < 2) return bad("manufacturerdata", "must start with the 2-byte company id");
    out.push({ ...frame, source: "mqtt:adv", channel: "manufacturer_data", bytes });
  }
  return out;
}
