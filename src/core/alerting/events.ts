/**
 * What the alerting engine hands back: events for the outbox / WebSocket and, on every one, the
 * audit entry to append to the hash-chained log (src/adapters/sqlite/auditLog.ts).
 */
import type { Alert, AlertPriority } from "../model.js";

export const AUDIT_TYPES = [
  "alert_raised",
  "alert_updated",
  "alert_state",
  "alert_escalated",
  "alert_resolved",
  "alert_suppressed",
  "action_rejected",
  "clinical_input",
  "config_changed",
  "engine_error",
] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

/** Who did it, in what role, from which client (IHE ACM: the endpoint that accepted). */
export interface Actor {
  readonly user: string;
  readonly role: string;
  readonly client: string;
}

/** One row of the audit log before it is chained; `data` is canonical-JSON-able (no NaN). */
export interface AuditEntry {
  readonly type: AuditType;
  /** Wall-clock ms (display, records). */
  readonly at: number;
  readonly patientId?: string;
  readonly alertId?: string;
  readonly actor?: Actor;
  readonly data: Readonly<Record<string, unknown>>;
}

export const ALERT_EVENT_TYPES = ["raise", "update", "escalate", "resolve", "suppress", "reject", "note"] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

export const SUPPRESS_REASONS = ["rate_limited"] as const;
export type SuppressReason = (typeof SUPPRESS_REASONS)[number];

export const REJECT_REASONS = ["unknown_alert", "already_resolved", "role_not_allowed", "bad_duration"] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/**
 * - raise: a new alert (record in the outbox, then push); `announce` false when raised into a pause.
 * - update: same alert, new content or state; `announce` true when the client must sound it again
 *   (worsened, pause expired with the condition still present).
 * - escalate: an unacknowledged high alarm passed T1 (level 1) or T2 (level 2).
 * - resolve: closed; no further events for this id.
 * - suppress: an alarm that was not raised, with the reason (audited, never silent).
 * - reject: an ack/pause the engine refused; - note: an audited input (ACVPU, oxygen, scale).
 */
/** The events that carry an alert: what is recorded in the outbox and pushed to the sinks. */
export type PushEvent = Extract<AlertEvent, { alert: unknown }>;

export type AlertEvent =
  | { readonly type: "raise"; readonly alert: Alert; readonly announce: boolean; readonly audit: AuditEntry }
  | { readonly type: "update"; readonly alert: Alert; readonly announce: boolean; readonly audit: AuditEntry }
  | { readonly type: "escalate"; readonly alert: Alert; readonly level: 1 | 2; readonly audit: AuditEntry }
  | { readonly type: "resolve"; readonly alert: Alert; readonly audit: AuditEntry }
  | { readonly type: "suppress"; readonly patientId: string; readonly cause: string; readonly priority: AlertPriority; readonly reason: SuppressReason; readonly audit: AuditEntry }
  | { readonly type: "reject"; readonly patientId: string; readonly alertId: string; readonly reason: RejectReason; readonly audit: AuditEntry }
  | { readonly type: "note"; readonly patientId: string; readonly audit: AuditEntry };
