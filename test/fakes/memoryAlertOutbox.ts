/** In-memory AlertOutbox for unit tests; passes the same contract suite as the SQLite one. */
import type { Alert } from "../../src/core/model.js";
import type { AlertOutbox } from "../../src/ports/alertOutbox.js";

export class MemoryAlertOutbox implements AlertOutbox {
  private closed = false;
  private readonly alerts = new Map<string, { alert: Alert; deliveredAt?: number }>();

  record(alert: Alert): void {
    const prior = this.alerts.get(alert.id);
    this.alerts.set(alert.id, prior ? { ...prior, alert: { ...alert, raisedAt: prior.alert.raisedAt } } : { alert });
  }

  get(id: string): Alert | undefined {
    return this.alerts.get(id)?.alert;
  }

  open(): Alert[] {
    return this.sorted().filter((a) => a.state !== "resolved");
  }

  pending(): Alert[] {
    return this.sorted().filter((a) => this.alerts.get(a.id)?.deliveredAt === undefined);
  }

  markDelivered(id: string, at: number): void {
    const entry = this.alerts.get(id);
    if (entry && entry.deliveredAt === undefined) entry.deliveredAt = at;
  }

  healthy(): boolean {
    return !this.closed;
  }

  close(): void {
    this.closed = true;
  }

  private sorted(): Alert[] {
    return [...this.alerts.values()].map((e) => e.alert).sort((a, b) => a.raisedAt - b.raisedAt);
  }
}
