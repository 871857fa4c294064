import type { Alert } from "../core/model.js";

/**
 * Alerts are written (fully synced) before anyone is told; what was written but not yet
 * confirmed by a nurse client is `pending()` and is re-sent after a restart. State changes come
 * from the alarm state machine (core/alarms) and are audited there; the outbox stores each
 * alert's latest state.
 */
export interface AlertOutbox {
  /** Stores the alert (or its new state) durably; idempotent on `alert.id` + state. */
  record(alert: Alert): void;
  get(id: string): Alert | undefined;
  /** Alerts not yet resolved, oldest first. */
  open(): Alert[];
  markDelivered(id: string, at: number): void;
  /** Alerts recorded but never delivered to any client. */
  pending(): Alert[];
  /** The outbox answers a trivial query (for /readyz). */
  healthy(): boolean;
  close(): void;
}
