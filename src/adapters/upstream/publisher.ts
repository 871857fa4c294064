/**
 * Drains the upstream outbox to the central broker: mqtt.js, MQTT 5, persistent session, QoS 1.
 * A row is deleted only when its PUBACK arrives (publishAsync resolves). Alerts go before
 * readings (a 24 h reading backlog must not hold back a live alarm), each kind in seq order.
 *
 * One mqtt.js client per connection, no mqtt.js auto-reconnect: when the link drops, the client is
 * discarded with whatever it had in flight, and the next connection (after a doubling backoff)
 * re-sends from the oldest unacknowledged row. Same path after a gateway restart. At least once:
 * a message whose PUBACK was lost arrives twice, with the same seq.
 */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { BehaviorSubject } from "rxjs";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import type { OutboxRow, UpstreamOutbox } from "../../ports/upstreamOutbox.js";
import { backoffDelay } from "../ble/backoff.js";
import { withTimeout } from "../ble/lifetime.js";
import { clientOptions, type ResolvedUpstream } from "./config.js";
import { composeAlert, composeDropped, composeReadings, statusPayload, topicsOf, type UpstreamTopics } from "./payloads.js";

export const UPSTREAM_LINK_STATES = ["connecting", "up", "down", "stopped"] as const;
export type UpstreamLinkState = (typeof UPSTREAM_LINK_STATES)[number];

export interface UpstreamLinkStatus {
  readonly state: UpstreamLinkState;
  /** Monotonic ms of the change. */
  readonly since: number;
  /** Why the link is down (broker message or socket error; no patient data). */
  readonly error?: string;
}

export interface PublisherCounters {
  messages: number;
  rowsAcked: number;
  publishErrors: number;
  connects: number;
}

const STOP_GRACE_MS = 2000;

export class UpstreamPublisher {
  readonly link$: BehaviorSubject<UpstreamLinkStatus>;
  readonly counters: PublisherCounters = { messages: 0, rowsAcked: 0, publishErrors: 0, connects: 0 };
  private readonly topics: UpstreamTopics;
  private readonly options: IClientOptions;
  private client: MqttClient | undefined;
  private generation = 0;
  private inFlight = 0;
  private cursor = { alert: 0, reading: 0 };
  /** Open alerts' latest states still to re-publish on this connection. */
  private republish: OutboxRow[] = [];
  /** Dropped ranges already handed out on this connection (by `first`). */
  private droppedCursor = 0;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private drained: (() => void) | undefined;
  /** After stop(): the owner may close the outbox, so late PUBACKs touch nothing. */
  private finished = false;

  /** Throws UpstreamConfigError when a secret file cannot be read (checked before any I/O). */
  constructor(
    private readonly cfg: ResolvedUpstream,
    private readonly outbox: UpstreamOutbox,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.topics = topicsOf(cfg.topicPrefix);
    // MQTT 5 §3.1.3.2: the broker publishes this retained will if the link dies without DISCONNECT.
    this.options = clientOptions(cfg, { topic: this.topics.status, payload: statusPayload(cfg.gatewayId, "offline", "connection_lost") });
    this.link$ = new BehaviorSubject<UpstreamLinkStatus>({ state: "connecting", since: clock.monotonic() });
  }

  start(): void {
    this.connect();
  }

  /** New rows in the outbox: send them if the link is up (cheap when it is not). */
  kick(): void {
    this.pump();
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    if (client?.connected) {
      // Let in-flight PUBACKs land (rows deleted), say goodbye, then DISCONNECT (reason 0: no will);
      // all within one grace, so a broker that stopped answering cannot hold the shutdown.
      const deadline = performance.now() + STOP_GRACE_MS;
      const left = (): number => Math.max(1, deadline - performance.now());
      if (this.inFlight > 0) await withTimeout(new Promise<void>((r) => (this.drained = r)), left(), "upstream drain").catch(() => undefined);
      const bye = client.publishAsync(this.topics.status, statusPayload(this.cfg.gatewayId, "offline", "shutdown", this.clock.now()), { qos: 1, retain: true });
      await withTimeout(bye, left(), "upstream offline status").catch(() => undefined);
      await withTimeout(client.endAsync(false), left(), "upstream disconnect").catch(() => destroy(client));
    } else if (client) destroy(client);
    this.finished = true;
    this.setLink("stopped");
    this.link$.complete();
  }

  private connect(): void {
    const generation = ++this.generation;
    this.inFlight = 0;
    this.cursor = { alert: 0, reading: 0 };
    this.droppedCursor = 0;
    this.outbox.rewind(); // everything unacknowledged is sent again on this connection
    this.setLink("connecting");
    let lastError: string | undefined;
    const client = mqtt.connect(this.cfg.url, this.options);
    this.client = client;
    client.on("error", (e) => (lastError = e.message));
    client.on("connect", () => {
      if (generation !== this.generation || this.stopping) return;
      this.failures = 0;
      this.counters.connects++;
      this.setLink("up");
      this.log.log("info", "upstream link up", { url: this.cfg.url, clientId: this.cfg.clientId });
      client.publish(this.topics.status, statusPayload(this.cfg.gatewayId, "online", "connected", this.clock.now()), { qos: 1, retain: true });
      // Every connect, not only without a session: a broker restored from an old snapshot says
      // "session present" yet has lost the retained alerts published after that snapshot.
      this.republish = this.openAlerts();
      this.pump();
    });
    client.on("close", () => {
      if (generation === this.generation && !this.stopping) this.reconnectLater(lastError ?? "connection closed");
    });
  }

  private reconnectLater(why: string): void {
    const old = this.client;
    this.client = undefined;
    this.generation++; // late callbacks of the old client change nothing
    if (old) destroy(old);
    this.failures++;
    const delay = backoffDelay(this.failures, { initialMs: this.cfg.reconnectInitialMs, maxMs: this.cfg.reconnectMaxMs });
    this.setLink("down", why);
    this.log.log("warn", "upstream link down, will retry", { error: why, retryMs: delay, failures: this.failures });
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private pump(): void {
    const client = this.client;
    while (client?.connected && !this.stopping && this.inFlight < this.cfg.maxInFlight) {
      const again = this.republish.shift();
      if (again) {
        // Same seq and body as when it was first sent: for a receiver that has it, a duplicate.
        this.send(client, again, composeAlert(this.cfg.gatewayId, again), () => this.acked([again]));
        continue;
      }
      const alert = this.outbox.peek("alert", this.cursor.alert, 1)[0];
      if (alert) {
        this.cursor.alert = alert.seq;
        this.send(client, alert, composeAlert(this.cfg.gatewayId, alert), () => this.acked([alert]));
        continue;
      }
      const range = this.outbox.droppedRanges(1000).find((r) => r.first > this.droppedCursor);
      if (range) {
        this.droppedCursor = range.first;
        this.send(client, { topic: this.topics.dropped }, composeDropped(this.cfg.gatewayId, range), () => this.tryOutbox(() => this.outbox.ackDropped([range.first])));
        continue;
      }
      const peeked = this.outbox.peek("reading", this.cursor.reading, this.cfg.batchSize);
      const topic = peeked[0]?.topic;
      const rows = peeked.slice(0, indexOrEnd(peeked.findIndex((r) => r.topic !== topic), peeked.length));
      const last = rows.at(-1);
      if (!last) return;
      this.cursor.reading = last.seq;
      this.send(client, last, composeReadings(this.cfg.gatewayId, rows, this.outbox.stats().droppedReadings), () => this.acked(rows));
    }
  }

  private send(client: MqttClient, head: Pick<OutboxRow, "topic" | "retain" | "expirySeconds">, payload: string, onPuback: () => boolean): void {
    const generation = this.generation;
    this.inFlight++;
    const properties = head.expirySeconds === undefined ? {} : { properties: { messageExpiryInterval: head.expirySeconds } };
    client.publishAsync(head.topic, payload, { qos: 1, retain: head.retain === true, ...properties }).then(
      () => {
        // PUBACK: the broker owns it, even if this connection has since been replaced.
        if (this.finished || !onPuback()) return;
        if (generation !== this.generation) return;
        this.inFlight--;
        if (this.inFlight === 0) this.drained?.();
        this.pump();
      },
      (e: Error) => {
        if (generation !== this.generation || this.stopping) return;
        this.counters.publishErrors++;
        // A PUBACK reason code >= 0x80 (not authorised, quota…): retry the whole window later.
        this.reconnectLater(`broker refused a publish: ${e.message}`);
      },
    );
  }

  private openAlerts(): OutboxRow[] {
    try {
      return this.outbox.openAlerts();
    } catch (e) {
      this.log.log("error", "upstream open alerts unreadable; not re-published on this connection", { error: (e as Error).message });
      return [];
    }
  }

  private acked(rows: readonly OutboxRow[]): boolean {
    if (!this.tryOutbox(() => this.outbox.ack(rows.map((r) => r.seq)))) return false;
    this.counters.messages++;
    this.counters.rowsAcked += rows.length;
    return true;
  }

  private tryOutbox(write: () => void): boolean {
    try {
      write();
      return true;
    } catch (e) {
      // Outbox closed or disk error: the rows stay and are sent again (a duplicate, not a loss).
      this.log.log("error", "upstream outbox ack failed", { error: (e as Error).message });
      return false;
    }
  }

  private setLink(state: UpstreamLinkState, error?: string): void {
    if (this.link$.closed) return;
    this.link$.next({ state, since: this.clock.monotonic(), ...(error === undefined ? {} : { error }) });
  }
}

function indexOrEnd(i: number, end: number): number {
  return i < 0 ? end : i;
}

function destroy(client: MqttClient): void {
  client.removeAllListeners();
  client.on("error", () => undefined); // a late socket error must not become an uncaught 'error'
  client.end(true);
  // end() does nothing on a client already disconnecting (a DISCONNECT that timed out): close the socket itself.
  (client.stream as { destroy?: () => void } | undefined)?.destroy?.();
}
