import type { Alert } from "../core/model.js";

/** Where an alert goes once it is durably recorded: the WebSocket hub, an upstream publisher. */
export interface AlertSink {
  deliver(alert: Alert): void;
}
