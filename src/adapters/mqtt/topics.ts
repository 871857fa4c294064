/**
 * The MQTT topic contract (README "MQTT topics"):
 *   <prefix>/<deviceId>/gatt/<uuid16>   payload: the characteristic value, raw bytes
 *   <prefix>/<deviceId>/json            payload: JSON readings (core/decode/jsonReadings.ts)
 * Parsing the topic is framing, not decoding: it only says where the bytes came from.
 */
import type { FrameSource } from "../../core/model.js";

export type TopicRoute = { ok: true; deviceId: string; source: FrameSource; channel: string } | { ok: false; why: string };

const DEVICE_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const UUID16 = /^[0-9a-fA-F]{4}$/;

export const subscriptionsFor = (prefix: string): string[] => [`${prefix}/+/gatt/+`, `${prefix}/+/json`];

export function routeTopic(prefix: string, topic: string): TopicRoute {
  if (!topic.startsWith(`${prefix}/`)) return { ok: false, why: `topic does not start with '${prefix}/'` };
  const parts = topic.slice(prefix.length + 1).split("/");
  const [deviceId, kind, channel] = parts;
  if (deviceId === undefined || !DEVICE_ID.test(deviceId)) return { ok: false, why: "device id must be 1-64 of [A-Za-z0-9_.:-]" };
  if (kind === "json" && parts.length === 2) return { ok: true, deviceId, source: "mqtt:json", channel: "json" };
  if (kind === "gatt" && parts.length === 3 && channel !== undefined && UUID16.test(channel)) {
    return { ok: true, deviceId, source: "mqtt:gatt", channel: channel.toLowerCase() };
  }
  return { ok: false, why: "expected <prefix>/<device>/gatt/<4 hex digits> or <prefix>/<device>/json" };
}
