/**
 * Which user action may move an alert from which state (DESIGN §5). The full state machine
 * (pauses with expiry, escalation) lives in core/alarms; this is the rule the outbox enforces
 * so that no stored alert ever makes an illegal jump, whoever calls it.
 */
import type { AlertState } from "./model.js";

export type AlertAction = Extract<AlertState, "acknowledged" | "resolved" | "audio_paused" | "alarm_paused">;

/** The state after `action`, or undefined if the action is not allowed from `from`. */
export function nextAlertState(from: AlertState, action: AlertAction): AlertState | undefined {
  switch (from) {
    case "resolved":
      return undefined; // terminal
    case "acknowledged":
      return action === "resolved" ? "resolved" : undefined;
    case "active":
    case "audio_paused":
    case "alarm_paused":
      return action;
    default:
      return from satisfies never;
  }
}
