/** DeferredAcks in-process: marks, one write per acknowledge, and recognising redeliveries. */
import type { IPublishPacket } from "mqtt";
import { describe, expect, it } from "vitest";
import { DeferredAcks, type AckStream } from "../../../src/adapters/mqtt/deferredAcks.js";

const stream = () => ({ writes: [] as number[][], destroyed: false, write(b: Uint8Array) { this.writes.push([...b]); } }) satisfies AckStream & { writes: number[][] };
const packet = (messageId: number, payload: number, dup = false): IPublishPacket => ({ cmd: "publish", qos: 1, dup, retain: false, topic: "vitals/s/gatt/2a37", payload: Buffer.from([0, payload]), messageId });

describe("DeferredAcks", () => {
  it("acknowledges up to a mark in one write, the rest at the next", () => {
    const acks = new DeferredAcks();
    const s = stream();
    acks.received(s, packet(1, 70));
    acks.received(s, packet(2, 71));
    const mark = acks.checkpoint();
    acks.received(s, packet(3, 72));
    acks.acknowledge(mark);
    expect(s.writes).toEqual([[0x40, 2, 0, 1, 0x40, 2, 0, 2]]);
    acks.acknowledge(acks.checkpoint());
    expect(s.writes[1]).toEqual([0x40, 2, 0, 3]);
    expect(acks.stats).toMatchObject({ acks: 3, writes: 2 });
  });

  it("writes nothing for a connection that is gone: the broker redelivers on the next", () => {
    const acks = new DeferredAcks();
    const s = stream();
    acks.received(s, packet(1, 70));
    const mark = acks.checkpoint();
    acks.connectionLost();
    acks.acknowledge(mark);
    expect(s.writes).toEqual([]);
  });

  it("recognises DUP copies of unacknowledged messages, counted per copy, across failed reconnects", () => {
    const acks = new DeferredAcks();
    acks.received(stream(), packet(1, 70));
    acks.received(stream(), packet(2, 70)); // the same frame twice: two readings
    acks.received(stream(), packet(3, 71));
    acks.connectionLost();
    acks.connectionLost(); // a reconnect attempt that failed
    expect(acks.isRedelivery(packet(9, 70))).toBe(false); // no DUP flag: a new message
    expect([acks.isRedelivery(packet(1, 70, true)), acks.isRedelivery(packet(2, 70, true)), acks.isRedelivery(packet(5, 70, true))]).toEqual([true, true, false]);
    acks.sessionLost(); // the broker kept nothing: 71 will not come again as a redelivery
    expect(acks.isRedelivery(packet(3, 71, true))).toBe(false);
  });
});
