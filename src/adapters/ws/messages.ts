/**
 * The WebSocket protocol at /ws. Every message is JSON with a `type`. Client messages are
 * validated by schema; anything else gets an `error` reply naming what was wrong, and the socket
 * stays open.
 *   server → client: hello, snapshot, reading, alert, error
 *   client → server: received {alertId} (delivery receipt), ack {alertId} (a nurse's acknowledgement), ping
 */
import { Ajv } from "ajv";
import type { Alert, Reading } from "../../core/model.js";

export type ClientMessage =
  | { readonly type: "received"; readonly alertId: string }
  | { readonly type: "ack"; readonly alertId: string }
  | { readonly type: "ping" };

export interface PatientView {
  readonly id: string;
  readonly label: string;
  readonly latest: readonly Reading[];
}

export type ServerMessage =
  | { readonly type: "hello"; readonly user: string; readonly role: string }
  | { readonly type: "snapshot"; readonly patients: readonly PatientView[]; readonly alerts: readonly Alert[] }
  | { readonly type: "reading"; readonly reading: Reading }
  | { readonly type: "alert"; readonly alert: Alert }
  | { readonly type: "pong" }
  | { readonly type: "error"; readonly code: string; readonly message: string };

const alertIdMessage = (type: string) => ({
  type: "object",
  additionalProperties: false,
  required: ["type", "alertId"],
  properties: { type: { const: type }, alertId: { type: "string", minLength: 1, maxLength: 64 } },
});

const CLIENT_SCHEMA = {
  type: "object",
  required: ["type"],
  properties: { type: { enum: ["received", "ack", "ping"] } },
  allOf: [
    { if: { properties: { type: { const: "received" } } }, then: alertIdMessage("received") },
    { if: { properties: { type: { const: "ack" } } }, then: alertIdMessage("ack") },
    { if: { properties: { type: { const: "ping" } } }, then: { properties: { type: { const: "ping" } }, additionalProperties: false } },
  ],
} as const;

const validate = new Ajv({ allErrors: false, strict: false }).compile<ClientMessage>(CLIENT_SCHEMA);

export function parseClientMessage(data: string): { ok: true; message: ClientMessage } | { ok: false; why: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return { ok: false, why: "message is not JSON" };
  }
  if (validate(parsed)) return { ok: true, message: parsed };
  const e = validate.errors?.[0];
  const where = e?.instancePath ? `${e.instancePath} ` : "";
  const extra = e?.keyword === "additionalProperties" ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'` : "";
  return { ok: false, why: `${where}${e?.message ?? "invalid"}${extra}`.trim() };
}
