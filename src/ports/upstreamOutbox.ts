/**
 * The upstream outbox (DESIGN §6): what the gateway owes the central broker, on disk, in order,
 * until the broker has acknowledged it (PUBACK). The broker is a transport, not a store
 * (research reliability-security-ecosystem.md §0.1), so durability lives here.
 */
export const UPSTREAM_KINDS = ["alert", "reading"] as const;
export type UpstreamKind = (typeof UPSTREAM_KINDS)[number];

/** One message-to-be (alert event) or one reading (batched into a message at publish time). */
export interface OutboxItem {
  readonly kind: UpstreamKind;
  readonly topic: string;
  /** A JSON object as text; the publisher adds the envelope (gateway id, sequence). */
  readonly body: string;
  readonly retain?: boolean;
  /** MQTT 5 Message Expiry Interval (s) for this message; none = kept until delivered. */
  readonly expirySeconds?: number;
  /**
   * Alert items: which alert, and whether it is still open after this event. The latest state of
   * every open alert is kept beside the queue and re-published at every connect (a broker that
   * restarted without persistence, or from an old snapshot, has lost its retained alerts).
   */
  readonly alert?: { readonly id: string; readonly open: boolean };
}

export interface OutboxRow extends OutboxItem {
  /** Never reused, also across restarts and an emptied table: the idempotency key downstream. */
  readonly seq: number;
  /** Wall-clock ms at enqueue. */
  readonly createdAt: number;
}

export interface UpstreamOutboxStats {
  readonly alerts: number;
  readonly readings: number;
  readonly bytes: number;
  /** Readings dropped by the size bound since the outbox was created (persisted). */
  readonly droppedReadings: number;
}

/** Readings the size bound deleted: every reading seq in first..last (alerts in between were kept). */
export interface DroppedRange {
  readonly first: number;
  readonly last: number;
  readonly count: number;
  /** Wall-clock ms of the drop. */
  readonly at: number;
}

export interface UpstreamOutboxLimits {
  /** Rows (alerts + readings) before the oldest readings are dropped. */
  readonly maxRows: number;
  /** Body bytes before the oldest readings are dropped. */
  readonly maxBytes: number;
}

/** Recorded in the same transaction as the items: they are the stored readings up to this rowid. */
export interface ReadingsMark {
  readonly readingsRowid: number;
}

export interface UpstreamOutbox {
  /**
   * Appends the items in one transaction and returns their sequence numbers. Alerts are never
   * dropped; past a limit the oldest readings not yet handed to the publisher are (counted, and
   * their seq range kept for the receiver). Rows in flight (handed out, not acknowledged) do not
   * count towards the limits: they are about to leave, and counting them would drop live readings.
   */
  enqueue(items: readonly OutboxItem[], mark?: ReadingsMark): number[];
  /** The readings.db rowid of the last stored reading taken into the outbox (none: a fresh outbox). */
  readingsMark(): number | undefined;
  /**
   * The latest state of every open alert that the broker has acknowledged, with its seq (re-sent
   * as it was: a duplicate by seq). A state still queued is left out: it is on its way anyway.
   */
  openAlerts(): OutboxRow[];
  /**
   * alarms.db is the record of which alerts are open. Of the open states recorded by an earlier
   * run, forgets those not in `openIds` (their resolve was lost in the alarms.db → upstream.db crash
   * window) so they are not re-announced as open for ever. States recorded by this run are kept.
   */
  forgetClosedAlerts(openIds: readonly string[]): number;
  /** Dropped ranges not yet acknowledged by the broker, oldest first. */
  droppedRanges(limit: number): DroppedRange[];
  /** The broker has the notice of these ranges (by `first`). */
  ackDropped(firsts: readonly number[]): void;
  /** Up to `limit` rows of `kind` with seq > afterSeq, oldest first; they count as handed out. */
  peek(kind: UpstreamKind, afterSeq: number, limit: number): OutboxRow[];
  /** Deletes delivered rows (unknown seqs are ignored: a dropped row, a repeated ack). */
  ack(seqs: readonly number[]): void;
  /** Nothing is handed out any more (a new connection re-sends from the oldest row). */
  rewind(): void;
  stats(): UpstreamOutboxStats;
  close(): void;
}
