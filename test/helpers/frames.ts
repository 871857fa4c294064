/** Small builders shared by tests: frames, readings and a fixed clock. */
import type { Clock } from "../../src/ports/clock.js";
import type { RawFrame, Reading, Vital } from "../../src/core/model.js";
import { hexToBytes } from "../../src/core/decode/kit.js";

export const fixedClock = (now = 1_764_000_000_000, mono = 0): Clock => ({ now: () => now, monotonic: () => mono });

export function gattFrame(deviceId: string, channel: string, hex: string, receivedAt = 1_764_000_000_000): RawFrame {
  return { deviceId, source: "mqtt:gatt", channel, bytes: hexToBytes(hex), receivedAt };
}

export function jsonFrame(deviceId: string, body: unknown, receivedAt = 1_764_000_000_000): RawFrame {
  return { deviceId, source: "mqtt:json", channel: "json", bytes: new TextEncoder().encode(typeof body === "string" ? body : JSON.stringify(body)), receivedAt };
}

export function reading(patientId: string, vital: Vital, value: number, unit = "/min", time = 1_764_000_000_000): Reading {
  return { patientId, deviceId: `dev-${patientId}`, vital, value, unit, time, receivedAt: time, quality: ["receipt_time"] };
}

export function sequentialIds(prefix = "a"): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}
