/**
 * Writes what the alerting engine decided: each alert's new state to the outbox and each event's
 * audit entry to the hash chain, in one transaction, before anyone is told (DESIGN §1 "persist,
 * then push"; §5 audit). Depends on ports only, so the failure policy around it
 * (./persistThenPush.ts) is tested with a fake that throws like a full disk.
 */
import type { AlertOutbox } from "../../ports/alertOutbox.js";
import type { Transaction } from "../../ports/transaction.js";
import type { AlertEvent, AuditEntry } from "./events.js";

/** The hash-chained audit log, as far as the journal needs it. */
export interface AuditTrail {
  appendAll(entries: readonly AuditEntry[]): unknown;
}

/** Where a batch of events goes before it is pushed; throws when it cannot be written. */
export interface Journal {
  record(events: readonly AlertEvent[]): void;
}

export class AlertJournal implements Journal {
  constructor(
    private readonly outbox: Pick<AlertOutbox, "record">,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
  ) {}

  record(events: readonly AlertEvent[]): void {
    if (events.length === 0) return;
    this.transaction(() => {
      for (const e of events) if ("alert" in e) this.outbox.record(e.alert);
      this.audit.appendAll(events.map((e) => e.audit));
    });
  }
}
