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

export interface UpstreamOutboxLimits {
  /** Rows (alerts + readings) before the oldest readings are dropped. */
  readonly maxRows: number;
  /** Body bytes before the oldest readings are dropped. */
  readonly maxBytes: number;
}

export interface UpstreamOutbox {
  /**
   * Appends the items in one transaction and returns their sequence numbers. Alerts are never
   * dropped; past a limit the oldest readings not yet handed to the publisher are (counted).
   */
  enqueue(items: readonly OutboxItem[]): number[];
  /** Up to `limit` rows of `kind` with seq > afterSeq, oldest first; they count as handed out. */
  peek(kind: UpstreamKind, afterSeq: number, limit: number): OutboxRow[];
  /** Deletes delivered rows (unknown seqs are ignored: a dropped row, a repeated ack). */
  ack(seqs: readonly number[]): void;
  /** Nothing is handed out any more (a new connection re-sends from the oldest row). */
  rewind(): void;
  stats(): UpstreamOutboxStats;
  close(): void;
}
