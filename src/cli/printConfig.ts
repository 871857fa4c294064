/**
 * `run --print-config`: the config as the daemon would run it (defaults filled, paths resolved,
 * flags applied), as JSON, with anything secret-looking redacted. Secrets belong in files
 * (`…File` keys, whose paths are shown), but a password typed into a URL or a key named like a
 * secret is replaced rather than printed into a terminal or a support ticket.
 */
import type { GatewayConfig } from "../config/types.js";

const SECRET_KEY = /(password|secret|token|passphrase|apikey|credential)$/i;
const REDACTED = "<redacted>";

export function printableConfig(config: GatewayConfig): string {
  return `${JSON.stringify(redact(config), null, 2)}\n`;
}

export function redact(value: unknown, key = ""): unknown {
  if (typeof value === "string") {
    if (SECRET_KEY.test(key)) return REDACTED;
    return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/i, `$1:${REDACTED}@`); // user:pass@ in URLs
  }
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && v !== undefined ? REDACTED : redact(v, k)]));
  return value;
}
