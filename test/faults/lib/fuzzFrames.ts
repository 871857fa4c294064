/**
 * Seeded generators of bad input for every way in: MQTT frames on every topic form of
 * src/adapters/mqtt/topics.ts (driven by the drivers' own test vectors, mutated), WebSocket
 * messages, and raw HTTP requests. Mostly near-valid, so they reach deep into the decoders.
 */
import { driverModules } from "../../../devices/index.js";

type Rng = () => number;
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const int = (r: Rng, max: number): number => Math.floor(r() * max);
const randomBytes = (r: Rng, n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(r, 256)));
const hexBytes = (hex: string): Buffer => Buffer.from(hex.replace(/\s+/g, ""), "hex");

/** Bit flips, truncation, extension, or fresh random bytes. */
export function mutate(r: Rng, bytes: Buffer): Buffer {
  const b = Buffer.from(bytes);
  switch (int(r, 5)) {
    case 0:
      for (let i = 0; i < 1 + int(r, 4) && b.length > 0; i++) {
        const at = int(r, b.length);
        b[at] = (b[at] ?? 0) ^ (1 << int(r, 8));
      }
      return b;
    case 1:
      return b.subarray(0, int(r, b.length + 1));
    case 2:
      return Buffer.concat([b, randomBytes(r, 1 + int(r, 16))]);
    case 3:
      return randomBytes(r, int(r, 40));
    default:
      return b;
  }
}

const modules = Object.values(driverModules);
const DEVICES = ["flow1", "trig0", "unknown-dev", "Ab.9:_-x", "x".repeat(64)];
const JSON_SEEDS = [
  '{"vital":"spo2","value":97,"unit":"%","time":1764050000000}',
  '[{"vital":"heart_rate","value":72,"unit":"/min"},{"vital":"temperature","value":37.1,"unit":"Cel"}]',
  '{"vital":"systolic_bp","value":"120","unit":"mm[Hg]"}',
  '{"vital":"heart_rate","value":1e309,"unit":"/min"}',
  '{"vital":"__proto__","value":1}',
  "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
  "null",
];

export function mqttFrame(r: Rng): { topic: string; payload: Buffer } {
  const device = pick(r, DEVICES);
  const roll = r();
  if (roll < 0.6) {
    const m = pick(r, modules);
    const seed = m.vectors.length > 0 ? hexBytes(pick(r, m.vectors).hex) : randomBytes(r, 8);
    const payload = mutate(r, seed);
    if (m.driver.match.gatt) return { topic: `vitals/${device}/gatt/${m.driver.match.gatt}`, payload };
    if (m.driver.match.serviceData) return { topic: `vitals/${device}/adv/service_data/${m.driver.match.serviceData}`, payload };
    return { topic: `vitals/${device}/adv/manufacturer_data`, payload };
  }
  if (roll < 0.85) return { topic: `vitals/${device}/json`, payload: mutate(r, Buffer.from(pick(r, JSON_SEEDS))) };
  // Topic forms that must be refused (wrong shape, bad uuid, bad device id) or unknown channels.
  const topic = pick(r, [
    `vitals/${device}/gatt/${randomBytes(r, 2).toString("hex")}`,
    `vitals/${device}/gatt/zz${int(r, 99)}`,
    `vitals/${device}/adv/service_data/${randomBytes(r, 2).toString("hex")}`,
    `vitals/${device}/adv/other`,
    `vitals/${device}/adv/service_data/181d/extra`,
    `vitals/bad device/json`,
    `vitals/${"y".repeat(65)}/json`,
    `vitals/${device}/json/extra`,
  ]);
  return { topic, payload: randomBytes(r, int(r, 64)) };
}

const WS_SEEDS: unknown[] = [
  { type: "ack", alertId: "0190c0de-0000-7000-8000-000000000000" },
  { type: "pause", alertId: "x", kind: "audio_pause", durationMs: 1000 },
  { type: "clinical", patientId: "p0", input: { type: "acvpu", value: "A" } },
  { type: "clinical", patientId: "p0", input: { type: "oxygen", onOxygen: true } },
  { type: "received", alertId: "y" },
  { type: "ping" },
];

export function wsMessage(r: Rng): string | Buffer {
  switch (int(r, 6)) {
    case 0:
      return mutate(r, Buffer.from(JSON.stringify(pick(r, WS_SEEDS)))).toString("utf8");
    case 1:
      return JSON.stringify({ ...(pick(r, WS_SEEDS) as object), extra: "z".repeat(int(r, 100)) });
    case 2:
      return randomBytes(r, int(r, 200));
    case 3:
      return "x".repeat(4000 + int(r, 2000)); // around the 4 KiB cap
    case 4:
      return JSON.stringify({ type: pick(r, ["ack", "pause", "clinical", "nope", 1, null]), alertId: pick(r, [1, "", "a".repeat(65), null]) });
    default:
      return JSON.stringify(pick(r, WS_SEEDS));
  }
}

export function httpRequest(r: Rng, hostPort: string): Buffer {
  const method = pick(r, ["GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "BREW", "G\u00e9T", ""]);
  const path = pick(r, ["/", "/livez", "/readyz", "/metrics", "/login", "/login?code=%zz", "/ws", "/api/me", "http://[", "//", "/%", "/..%2f..%2fetc/passwd", "*", `/${"a".repeat(int(r, 9000))}`]);
  const host = pick(r, [hostPort, "evil.example", "", `${hostPort}\r\nX-Injected: 1`]);
  const headers = [`Host: ${host}`];
  if (r() < 0.3) headers.push(`Content-Length: ${pick(r, ["5", "-1", "99999999999", "abc"])}`);
  if (r() < 0.2) headers.push("Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13", `Sec-WebSocket-Key: ${randomBytes(r, 16).toString("base64")}`);
  if (r() < 0.2) headers.push(`Cookie: vg_session=${randomBytes(r, 20).toString("hex")}`);
  if (r() < 0.2) headers.push(`Authorization: Bearer ${randomBytes(r, 10).toString("hex")}`);
  const head = `${method} ${path} HTTP/1.1\r\n${headers.join("\r\n")}\r\nConnection: close\r\n\r\n`;
  const body = r() < 0.3 ? mutate(r, Buffer.from("token=vgt_abc")) : Buffer.alloc(0);
  return r() < 0.1 ? mutate(r, Buffer.from(head)) : Buffer.concat([Buffer.from(head), body]);
}
