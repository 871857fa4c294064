/**
 * The WebSocket protocol at /ws. Every message is JSON with a `type`. Client messages are
 * validated by schema; anything else gets an `error` reply naming what was wrong, and the socket
 * stays open.
 *   server → client: hello, snapshot, reading, alert, clinical (a patient's NEWS2 and nurse entries
 *     changed), pong, error
 * The console (src/console/) imports these types: one source of truth for both ends.
 *   client → server: received {alertId} (delivery receipt), ack {alertId} (a nurse's acknowledgement),
 *     pause {alertId, kind: audio_pause|alarm_pause, durationMs?}, clinical {patientId, input} (ACVPU,
 *     oxygen, SpO2 scale — what NEWS2 needs from a nurse), ping
 */
import { Ajv } from "ajv";
import type { ClinicalState } from "../../core/alerting/clinicalState.js";
import type { Alert, Reading } from "../../core/model.js";

export type { ClinicalState };

/** Who acknowledged an alert, and when (wall ms): a nurse must see that someone has it. */
export interface AckInfo {
  readonly user: string;
  readonly role: string;
  readonly at: number;
}

export type ClinicalMessageInput =
  | { readonly type: "acvpu"; readonly value: "A" | "C" | "V" | "P" | "U" }
  | { readonly type: "oxygen"; readonly onOxygen: boolean }
  | { readonly type: "spo2_scale"; readonly scale: 1 | 2; readonly reason?: string };

/** What a nurse asks of the alerting engine. */
export type NurseAction =
  | { readonly type: "ack"; readonly alertId: string }
  | { readonly type: "pause"; readonly alertId: string; readonly kind: "audio_pause" | "alarm_pause"; readonly durationMs?: number }
  | { readonly type: "clinical"; readonly patientId: string; readonly input: ClinicalMessageInput };

export type ClientMessage = NurseAction | { readonly type: "received"; readonly alertId: string } | { readonly type: "ping" };

export interface PatientView {
  readonly id: string;
  readonly label: string;
  readonly latest: readonly Reading[];
  /** NEWS2 with its per-parameter scores and what is missing, and the nurse's entries as the engine holds them. */
  readonly clinical?: ClinicalState;
}

export type ServerMessage =
  | { readonly type: "hello"; readonly user: string; readonly role: string }
  | { readonly type: "snapshot"; readonly patients: readonly PatientView[]; readonly alerts: readonly Alert[]; readonly acks?: Readonly<Record<string, AckInfo>> }
  | { readonly type: "reading"; readonly reading: Reading }
  | { readonly type: "alert"; readonly alert: Alert; readonly event: "raise" | "update" | "escalate" | "resolve"; readonly announce: boolean; readonly ack?: AckInfo }
  | { readonly type: "clinical"; readonly patientId: string; readonly clinical: ClinicalState }
  | { readonly type: "pong" }
  | { readonly type: "error"; readonly code: string; readonly message: string };

const ID = { type: "string", minLength: 1, maxLength: 64 };
const message = (type: string, properties: object, required: string[] = []) => ({
  type: "object",
  additionalProperties: false,
  required: ["type", ...required],
  properties: { type: { const: type }, ...properties },
});
const clinicalInput = {
  oneOf: [
    message("acvpu", { value: { enum: ["A", "C", "V", "P", "U"] } }, ["value"]),
    message("oxygen", { onOxygen: { type: "boolean" } }, ["onOxygen"]),
    message("spo2_scale", { scale: { enum: [1, 2] }, reason: { type: "string", maxLength: 200 } }, ["scale"]),
  ],
};

const CLIENT_SCHEMA = {
  type: "object",
  required: ["type"],
  properties: { type: { enum: ["received", "ack", "pause", "clinical", "ping"] } },
  allOf: [
    { if: { properties: { type: { const: "received" } } }, then: message("received", { alertId: ID }, ["alertId"]) },
    { if: { properties: { type: { const: "ack" } } }, then: message("ack", { alertId: ID }, ["alertId"]) },
    {
      if: { properties: { type: { const: "pause" } } },
      then: message("pause", { alertId: ID, kind: { enum: ["audio_pause", "alarm_pause"] }, durationMs: { type: "integer", minimum: 1000, maximum: 3_600_000 } }, ["alertId", "kind"]),
    },
    { if: { properties: { type: { const: "clinical" } } }, then: message("clinical", { patientId: ID, input: clinicalInput }, ["patientId", "input"]) },
    { if: { properties: { type: { const: "ping" } } }, then: message("ping", {}) },
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
