/**
 * alarms.db (outbox + audit chain) as the alert path uses it, opened when it can be. A database
 * that cannot be opened or written at start (a full disk: SQLite cannot even map its WAL index)
 * gives a degraded gateway rather than one that refuses to start: the journal throws, the alert
 * path keeps alerts in memory, raises "storage full" and retries, and this store opens at the
 * first retry that succeeds (then `opened` restores its open alerts and audits the config).
 */
import type { AlertEvent, AuditEntry } from "../../core/alerting/events.js";
import { AlertJournal, type Journal } from "../../core/alerting/journal.js";
import type { Alert } from "../../core/model.js";
import { SqliteAlertOutbox } from "./alertOutbox.js";
import { SqliteAuditLog } from "./auditLog.js";
import { StorageError } from "./storageError.js";

interface Open {
  readonly outbox: SqliteAlertOutbox;
  readonly audit: SqliteAuditLog;
  readonly journal: AlertJournal;
}

export class AlarmStore implements Journal {
  private db: Open | undefined;

  constructor(
    private readonly file: string,
    /** Runs once, right after the first successful open (restore, config audit). */
    private readonly opened: (outbox: SqliteAlertOutbox, audit: SqliteAuditLog) => void,
  ) {}

  /**
   * At start: a corrupt or newer-than-known alarms.db stops the daemon (StorageError: never run on,
   * never overwrite it); any other failure (a full disk) is left to the alert path's alarm and retry.
   */
  openAtStart(): void {
    try {
      this.ensureOpen();
    } catch (e) {
      if (e instanceof StorageError) throw e;
    }
  }

  record(events: readonly AlertEvent[]): void {
    this.ensureOpen().journal.record(events);
  }

  /** An alert by id, resolved ones included; undefined while the database is not open. */
  get(id: string): Alert | undefined {
    return this.db?.outbox.get(id);
  }

  /** Best effort: a delivery mark that cannot be written only means a re-send after a restart. */
  markDelivered(id: string, at: number): void {
    try {
      this.db?.outbox.markDelivered(id, at);
    } catch {
      // the alert path's storage alarm already tells the nurses the disk is failing
    }
  }

  /** An audit entry of its own (a refused action); best effort like markDelivered: a failing disk is already an alarm. */
  audit(entry: AuditEntry): void {
    try {
      this.ensureOpen().audit.append(entry);
    } catch {
      // counted by the alert path's storage alarm; the refusal itself was already applied
    }
  }

  pending(): number {
    return this.db?.outbox.pending().length ?? 0;
  }

  healthy(): boolean {
    return this.db?.outbox.healthy() ?? false;
  }

  close(): void {
    this.db?.outbox.close();
  }

  private ensureOpen(): Open {
    if (this.db) return this.db;
    const outbox = new SqliteAlertOutbox(this.file);
    try {
      const audit = new SqliteAuditLog(outbox.database);
      const journal = new AlertJournal(outbox, audit, (work) => outbox.database.transaction(work)());
      this.db = { outbox, audit, journal };
    } catch (e) {
      outbox.close();
      throw e;
    }
    this.opened(this.db.outbox, this.db.audit);
    return this.db;
  }
}
