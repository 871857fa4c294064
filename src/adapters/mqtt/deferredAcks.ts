/**
 * PUBACK after commit. mqtt.js writes the PUBACK of a QoS 1 message as soon as
 * `client.handleMessage` calls back, and handles the next message only after that callback; so
 * holding the callback until the batch commits would stall the stream. Instead the source calls
 * back at once with DEFERRED (mqtt.js then writes no PUBACK and moves on) and keeps the packet id
 * here. The store takes a `checkpoint()` when it cuts a batch and calls `acknowledge(mark)` once
 * that batch has committed: every message received before the cut is then either in a committed
 * batch or was refused (bad payload, unknown device: counted, never to be stored), because the
 * path from a frame to the batch buffer is synchronous. Their PUBACKs go out in one socket write.
 *
 * A connection lost before the commit leaves the broker to redeliver those messages (DUP set)
 * although they are already in the pipeline: the topic and payload of every unacknowledged one
 * are kept as "suspects", and a DUP copy of a suspect is a redelivery, acknowledged and not
 * processed twice (readings without a device time could not be told apart by the store).
 * Suspects are dropped when the broker says it kept no session (it will redeliver nothing).
 */
import type { IPublishPacket } from "mqtt";

/** At most the broker's receive maximum is unacknowledged per connection; a few connections' worth. */
const MAX_SUSPECTS = 200_000;

/** Passed to mqtt.js's handleMessage callback: it then writes no PUBACK (handlers/publish.js). */
export const DEFERRED = new Error("PUBACK deferred until the reading is committed");

/** The writable side of the connection a message came in on. */
export interface AckStream {
  write(bytes: Uint8Array): unknown;
  readonly destroyed: boolean;
}

interface Pending {
  readonly seq: number;
  readonly stream: AckStream;
  readonly id: number;
  readonly topic: string;
  readonly payload: Uint8Array;
}

export class DeferredAcks {
  private seq = 0;
  private pending: Pending[] = [];
  private readonly suspects = new Map<string, number>();
  /** PUBACK packets and socket writes, for /metrics and the benchmark. */
  readonly stats = { acks: 0, writes: 0, redeliveriesSkipped: 0 };

  /** A QoS 1 message was fully handed to the pipeline; its PUBACK waits for the next commit. */
  received(stream: AckStream, packet: IPublishPacket): void {
    if (packet.messageId === undefined) return;
    this.pending.push({ seq: ++this.seq, stream, id: packet.messageId, topic: packet.topic, payload: packet.payload as Uint8Array });
  }

  /** True for a DUP copy of a message of a lost connection that is already in the pipeline. */
  isRedelivery(packet: IPublishPacket): boolean {
    if (!packet.dup || this.suspects.size === 0) return false;
    const key = keyOf(packet.topic, packet.payload as Uint8Array);
    const n = this.suspects.get(key);
    if (n === undefined) return false;
    if (n <= 1) this.suspects.delete(key);
    else this.suspects.set(key, n - 1);
    this.stats.redeliveriesSkipped++;
    return true;
  }

  /** Everything received so far; pass it to acknowledge() once what was cut with it is committed. */
  checkpoint(): number {
    return this.seq;
  }

  /** Writes the PUBACKs of every message up to `mark` still on the live connection, in one write. */
  acknowledge(mark: number): void {
    let n = 0;
    while (n < this.pending.length && this.pending[n]!.seq <= mark) n++;
    if (n === 0) return;
    const done = this.pending.splice(0, n);
    const stream = done[done.length - 1]!.stream;
    const live = done.filter((p) => p.stream === stream);
    if (stream.destroyed || live.length === 0) return;
    stream.write(pubacks(live.map((p) => p.id)));
    this.stats.acks += live.length;
    this.stats.writes++;
  }

  /**
   * The connection closed: its unacknowledged messages will come again (DUP) if the broker kept
   * the session, perhaps only after more failed attempts, so they join the suspects (counted per
   * topic and payload: two equal frames are two suspects). Bounded; the oldest go first.
   */
  connectionLost(): void {
    for (const p of this.pending.splice(0)) {
      const key = keyOf(p.topic, p.payload);
      this.suspects.set(key, (this.suspects.get(key) ?? 0) + 1);
    }
    for (const key of this.suspects.keys()) {
      if (this.suspects.size <= MAX_SUSPECTS) break;
      this.suspects.delete(key);
    }
  }

  /** The broker started a new session (CONNACK session present = 0): it will redeliver nothing. */
  sessionLost(): void {
    this.suspects.clear();
  }

  get unacknowledged(): number {
    return this.pending.length;
  }
}

/**
 * PUBACK is 4 bytes in MQTT 3.1.1 (§3.4) and in MQTT 5 with reason Success and no properties
 * (§3.4.2.1: "can be omitted"): type 0x40, remaining length 2, packet id big-endian.
 */
export function pubacks(ids: readonly number[]): Uint8Array {
  const out = Buffer.allocUnsafe(ids.length * 4);
  ids.forEach((id, i) => {
    out[i * 4] = 0x40;
    out[i * 4 + 1] = 0x02;
    out.writeUInt16BE(id, i * 4 + 2);
  });
  return out;
}

function keyOf(topic: string, payload: Uint8Array): string {
  return `${topic}\u0000${Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("base64")}`;
}
