/**
 * PUBACK after commit against a real mosquitto: a QoS 1 message is acknowledged only when the
 * store says so (a restart before that gets it again), the acknowledgements of a batch go out in
 * one socket write, and a redelivery after a lost connection is not handed on twice.
 */
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { pubacks } from "../../../src/adapters/mqtt/deferredAcks.js";
import { MqttSource } from "../../../src/adapters/mqtt/mqttSource.js";
import type { RawFrame } from "../../../src/core/model.js";
import { fixedClock } from "../../helpers/frames.js";
import { startMosquitto, type Mosquitto } from "../../helpers/mosquitto.js";

let broker: Mosquitto;
let device: MqttClient;
beforeAll(async () => {
  broker = await startMosquitto();
  device = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
});
afterAll(async () => {
  await device.endAsync();
  await broker.stop();
});

async function source(clientId: string): Promise<{ source: MqttSource; frames: RawFrame[] }> {
  const s = new MqttSource({ url: broker.url, topicPrefix: "vitals", clientId, protocolVersion: 5, keepaliveSeconds: 60 }, fixedClock());
  const frames: RawFrame[] = [];
  s.frames$.subscribe((f) => frames.push(f));
  await s.start();
  return { source: s, frames };
}

const publish = (n: number, from = 0) =>
  Promise.all(Array.from({ length: n }, (_, i) => device.publishAsync("vitals/strap1/gatt/2a37", Buffer.from([0x00, from + i]), { qos: 1 })));
const values = (frames: readonly RawFrame[]) => frames.map((f) => f.bytes[1]);

describe("MqttSource acknowledges after commit", () => {
  it("leaves unacknowledged messages with the broker: the next start with the same client id gets them again", async () => {
    const first = await source("acks-restart");
    await publish(200); // all 200 reach us unacknowledged (MQTT 5 Receive Maximum 65535)
    await vi.waitFor(() => expect(first.frames).toHaveLength(200), { timeout: 10_000, interval: 50 });
    expect(first.source.acks.unacknowledged).toBe(200);
    await first.source.stop(); // nothing was committed, so nothing was acknowledged

    const second = await source("acks-restart");
    await vi.waitFor(() => expect(first.frames.length + second.frames.length).toBe(400), { timeout: 10_000, interval: 50 });
    expect(values(second.frames)).toEqual(values(first.frames));
    const mark = second.source.acks.checkpoint(); // "the batch with all of them committed"
    second.source.acks.acknowledge(mark);
    expect(second.source.acks.stats).toMatchObject({ acks: 200, writes: 1 }); // one socket write for the batch
    await second.source.stop();

    const third = await source("acks-restart");
    await publish(1, 250);
    await vi.waitFor(() => expect(third.frames).toHaveLength(1), { timeout: 10_000, interval: 50 });
    expect(values(third.frames)).toEqual([250]); // the acknowledged 200 did not come again
    await third.source.stop();
  });

  it("acknowledges only up to the mark: what arrived after the batch was cut waits for the next commit", async () => {
    const first = await source("acks-mark");
    await publish(3, 10);
    await vi.waitFor(() => expect(first.frames).toHaveLength(3), { timeout: 10_000, interval: 50 });
    const mark = first.source.acks.checkpoint();
    await publish(2, 20);
    await vi.waitFor(() => expect(first.frames).toHaveLength(5), { timeout: 10_000, interval: 50 });
    first.source.acks.acknowledge(mark);
    await first.source.stop();
    const second = await source("acks-mark");
    await vi.waitFor(() => expect(values(second.frames)).toEqual([20, 21]), { timeout: 10_000, interval: 50 });
    second.source.acks.acknowledge(second.source.acks.checkpoint());
    await second.source.stop();
  });

  it("does not hand on a redelivery after a lost connection twice, and acknowledges it with the next commit", async () => {
    const first = await source("acks-redelivery");
    await publish(5, 30);
    await vi.waitFor(() => expect(first.frames).toHaveLength(5), { timeout: 10_000, interval: 50 });
    const link: boolean[] = [];
    first.source.link$.subscribe((l) => link.push(l.up));
    (first.source as unknown as { client: MqttClient }).client.stream.destroy(); // the connection drops before the commit
    await vi.waitFor(() => expect(first.source.acks.stats.redeliveriesSkipped).toBe(5), { timeout: 15_000, interval: 50 });
    expect(values(first.frames)).toEqual([30, 31, 32, 33, 34]);
    expect(link).toEqual([true, false, true]);
    first.source.acks.acknowledge(first.source.acks.checkpoint());
    expect(first.source.acks.stats.acks).toBe(5);
    await first.source.stop();
    const second = await source("acks-redelivery");
    await publish(1, 40);
    await vi.waitFor(() => expect(values(second.frames)).toEqual([40]), { timeout: 10_000, interval: 50 });
    await second.source.stop();
  });
});

it("encodes PUBACKs as MQTT 3.1.1 §3.4 / MQTT 5 §3.4.2.1 four-byte packets", () => {
  expect([...pubacks([1, 0x1234])]).toEqual([0x40, 0x02, 0x00, 0x01, 0x40, 0x02, 0x12, 0x34]);
});
