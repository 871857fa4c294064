/** UUIDv7 (RFC 9562 §5.7): time-ordered, so alert ids sort by creation and stay stable across retries. */
import { randomBytes } from "node:crypto";

export function uuidv7(nowMs: number = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(Math.floor(nowMs), 0, 6); // 48-bit unix ms
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70; // version 7
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80; // variant 10
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
