import type { Alert, AlertState } from "../core/model.js";

export interface AckRecord {
  readonly alertId: string;
  readonly state: Extract<AlertState, "acknowledged" | "resolved" | "audio_paused" | "alarm_paused">;
  readonly user: string;
  readonly role: string;
  readonly client: string;
  readonly at: number;
}

/**
 * Alerts are written (fully synced) before anyone is told; what was written but not yet
 * confirmed by a nurse client is `pending()` and is re-sent after a restart.
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
  transition(ack: AckRecord): Alert | undefined;
  close(): void;
}
