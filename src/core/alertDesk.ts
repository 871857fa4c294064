/**
 * Between the rules and the nurses: records each alert durably before delivering it (persist,
 * then push), keeps one open alert per patient and cause, latches physiological alarms until a
 * nurse acknowledges them, and resolves an acknowledged alert once its condition has cleared
 * (DESIGN §5). Pure over its ports: the outbox and sink do the I/O.
 */
import type { AckRecord, AlertOutbox } from "../ports/alertOutbox.js";
import type { AlertSink } from "../ports/alertSink.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { Alert } from "./model.js";
import type { ThresholdEvent } from "./pipeline/thresholdAlerts.js";

export interface Actor {
  readonly user: string;
  readonly role: string;
  readonly client: string;
}

const SYSTEM: Actor = { user: "system", role: "system", client: "rules" };
const keyOf = (patientId: string, cause: string) => `${patientId}\u0000${cause}`;

export class AlertDesk {
  /** Open alert id per patient+cause, and which of those conditions still hold. */
  private readonly openByKey = new Map<string, string>();
  private readonly conditionHolds = new Set<string>();

  constructor(
    private readonly outbox: AlertOutbox,
    private readonly sink: AlertSink,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly onRaised: (alert: Alert) => void = () => undefined,
  ) {
    // After a restart, open alerts are still open; their conditions are re-learnt from new readings.
    for (const a of outbox.open()) this.openByKey.set(keyOf(a.patientId, a.cause), a.id);
  }

  handle(event: ThresholdEvent): void {
    switch (event.type) {
      case "raise":
        return this.raise(event.alert);
      case "clear":
        return this.cleared(event.patientId, event.cause);
      default:
        return event satisfies never;
    }
  }

  raise(alert: Alert): void {
    const key = keyOf(alert.patientId, alert.cause);
    this.conditionHolds.add(key);
    const openId = this.openByKey.get(key);
    if (openId !== undefined) {
      this.log.log("info", "alert suppressed: one open alert per cause", { reason: "duplicate_cause", openAlert: openId, cause: alert.cause });
      return;
    }
    this.outbox.record(alert); // FULL-synced before anyone is told
    this.openByKey.set(key, alert.id);
    this.onRaised(alert);
    this.sink.deliver(alert);
  }

  /** A nurse's acknowledgement; returns why it was refused, if it was. */
  acknowledge(alertId: string, by: Actor): string | undefined {
    const acked = this.transition(alertId, "acknowledged", by);
    if (!acked) return `alert ${alertId} is not open or cannot be acknowledged in its current state`;
    const key = keyOf(acked.patientId, acked.cause);
    if (!this.conditionHolds.has(key)) this.transition(alertId, "resolved", SYSTEM);
    return undefined;
  }

  private cleared(patientId: string, cause: string): void {
    const key = keyOf(patientId, cause);
    this.conditionHolds.delete(key);
    const id = this.openByKey.get(key);
    // Latching (IEC 60601-1-8): an unacknowledged alarm stays on screen after its cause clears.
    if (id !== undefined && this.outbox.get(id)?.state === "acknowledged") this.transition(id, "resolved", SYSTEM);
  }

  private transition(alertId: string, state: AckRecord["state"], by: Actor): Alert | undefined {
    const next = this.outbox.transition({ alertId, state, ...by, at: this.clock.now() });
    if (!next) return undefined;
    if (next.state === "resolved") this.openByKey.delete(keyOf(next.patientId, next.cause));
    this.sink.deliver(next);
    return next;
  }
}
