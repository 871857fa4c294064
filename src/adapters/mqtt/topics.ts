/**
 * The MQTT topic contract (README "MQTT topics"):
 *   <prefix>/<deviceId>/gatt/<uuid16>   payload: the characteristic value, raw bytes
 *   <prefix>/<deviceId>/json            payload: JSON readings (core/decode/jsonReadings.ts)
 *   <prefix>/<deviceId>/adv/service_data/<uuid16>   payload: advertisement service data, UUID not included
 *   <prefix>/<deviceId>/adv/manufacturer_data       payload: company id (2 bytes, little-endian) then data
 * Parsing the topic is framing, not decoding: it only says where the bytes came from.
 */
import type { FrameSource } from "../../core/model.js";

export type TopicRoute = { ok: true; deviceId: string; source: FrameSource; channel: string } | { ok: false; why: string };

const DEVICE_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const UUID16 = /^[0-9a-fA-F]{4}$/;

export const subscriptionsFor = (prefix: string): string[] => [`${prefix}/+/gatt/+`, `${prefix}/+/json`, `${prefix}/+/adv/#`];

export function routeTopic(prefix: string, topic: string): TopicRoute {
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
