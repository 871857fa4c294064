/**
 * The MQTT topic contract (README "MQTT topics"):
 *   <prefix>/<deviceId>/gatt/<uuid16>   payload: the characteristic value, raw bytes
 *   <prefix>/<deviceId>/json            payload: JSON readings (core/decode/jsonReadings.ts)
 *   <prefix>/<deviceId>/adv/service_data/<uuid16>   payload: advertisement service data, UUID not included
 *   <prefix>/<deviceId>/adv/manufacturer_data       payload: company id (2 bytes, little-endian) then data
 * and, when `mqtt.bridges` lists topic filters (e.g. `home/+/BTtoMQTT/+`), the topics Theengs Gateway
 * and OpenMQTTGateway publish on:
 *   <bridge topic>/<MAC without colons>   payload: the bridge's JSON for one device
 *   <bridge topic>/undecoded              payload: the same JSON, raw advert only (MAC in its `id`)
 * Parsing the topic is framing, not decoding: it only says where the bytes came from.
 */
import type { FrameSource } from "../../core/model.js";

export type TopicRoute = { ok: true; deviceId: string; source: FrameSource; channel: string } | { ok: false; why: string };

const DEVICE_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const UUID16 = /^[0-9a-fA-F]{4}$/;

export const subscriptionsFor = (prefix: string, bridges: readonly string[] = []): string[] => [`${prefix}/+/gatt/+`, `${prefix}/+/json`, `${prefix}/+/adv/#`, ...bridges];

const MAC12 = /^[0-9a-fA-F]{12}$/;

/** MQTT filter matching (`+` one level, `#` the rest), as the broker applies it. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return true;
    if (i >= t.length || (f[i] !== "+" && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

/**
 * A bridge message: the device id is the MAC in lower case without colons (what the hub's own
 * radio calls it, src/adapters/ble/uuids.ts), or `undecoded` until the decoder reads the MAC from
 * the JSON `id`. The channel names the bridge (its topic without the device) for `devices seen`.
 */
function routeBridge(topic: string): TopicRoute {
  const cut = topic.lastIndexOf("/");
  const last = topic.slice(cut + 1);
  if (cut <= 0 || !(MAC12.test(last) || last === "undecoded")) {
    return { ok: false, why: "a bridge topic must end in /<MAC, 12 hex digits> or /undecoded" };
  }
  return { ok: true, deviceId: last.toLowerCase(), source: "mqtt:bridge", channel: topic.slice(0, cut) };
}

export function routeTopic(prefix: string, topic: string, bridges: readonly string[] = []): TopicRoute {
  if (bridges.some((filter) => topicMatches(filter, topic))) return routeBridge(topic);
  if (!topic.startsWith(`${prefix}/`)) return { ok: false, why: `topic does not start with '${prefix}/'` };
  const parts = topic.slice(prefix.length + 1).split("/");
  const [deviceId, kind, channel] = parts;
  if (deviceId === undefined || !DEVICE_ID.test(deviceId)) return { ok: false, why: "device id must be 1-64 of [A-Za-z0-9_.:-]" };
  if (kind === "json" && parts.length === 2) return { ok: true, deviceId, source: "mqtt:json", channel: "json" };
  if (kind === "gatt" && parts.length === 3 && channel !== undefined && UUID16.test(channel)) {
    return { ok: true, deviceId, source: "mqtt:gatt", channel: channel.toLowerCase() };
  }
  if (kind === "adv" && parts.length === 3 && channel === "manufacturer_data") return { ok: true, deviceId, source: "mqtt:adv", channel };
  const uuid = parts[3];
  if (kind === "adv" && parts.length === 4 && channel === "service_data" && uuid !== undefined && UUID16.test(uuid)) {
    return { ok: true, deviceId, source: "mqtt:adv", channel: `service_data:${uuid.toLowerCase()}` };
  }
  return { ok: false, why: "expected <prefix>/<device>/gatt/<uuid16>, <prefix>/<device>/json or <prefix>/<device>/adv/(service_data/<uuid16>|manufacturer_data)" };
}
