/** How an alerting event reaches a console, and how it is counted. */
import type { AlertEvent } from "../../core/alerting/events.js";
import type { Logger } from "../../ports/logger.js";
import type { Metrics } from "../http/metrics.js";
import type { PushEvent } from "../../core/alerting/events.js";
import type { ServerMessage } from "./messages.js";

export function alertMessage(e: PushEvent): Extract<ServerMessage, { type: "alert" }> {
  switch (e.type) {
    case "raise":
      return { type: "alert", alert: e.alert, event: e.type, announce: e.announce };
    case "update": {
      // An acknowledgement carries its actor in the audit entry: the console shows who and when.
      const actor = e.alert.state === "acknowledged" && e.audit.type === "alert_state" ? e.audit.actor : undefined;
      const ack = actor ? { ack: { user: actor.user, role: actor.role, at: e.audit.at } } : {};
      return { type: "alert", alert: e.alert, event: e.type, announce: e.announce, ...ack };
    }
    case "escalate":
      return { type: "alert", alert: e.alert, event: e.type, announce: true };
    case "resolve":
      return { type: "alert", alert: e.alert, event: e.type, announce: false };
    default:
      return e satisfies never;
  }
}

export function countAlertEvent(e: AlertEvent, metrics: Metrics, log: Logger): void {
  switch (e.type) {
    case "raise":
      return void metrics.alertsRaised.inc({ kind: e.alert.kind, priority: e.alert.priority });
    case "escalate":
      return void metrics.alertsEscalated.inc({ level: String(e.level) });
    case "suppress":
      metrics.alertsSuppressed.inc({ reason: e.reason });
      return log.log("info", "alert suppressed", { reason: e.reason, cause: e.cause, priority: e.priority });
    case "reject":
      return log.log("info", "nurse action refused", { reason: e.reason, alertId: e.alertId });
    case "note":
      if (e.audit.type === "engine_error") log.log("error", "alerting engine error (rule alarms continue for other inputs)", { code: "engine_error" });
      return;
    case "update":
    case "resolve":
      return;
    default:
      return e satisfies never;
  }
}
