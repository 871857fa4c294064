import type { PushEvent } from "../core/alerting/events.js";

/**
 * Where alert events go once they are durably recorded (persist, then push): the nurses'
 * WebSocket hub first, then the upstream publisher. Delivery never throws back into the engine.
 */
export interface AlertSink {
  deliver(events: readonly PushEvent[]): void;
}
