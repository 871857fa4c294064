/**
 * A sensor bridge publishing QoS 1 readings with unique device times through the broker. A reading
 * counts as accepted only once the broker PUBACKed it: those are the ones the gateway must not lose.
 */
import mqtt, { type MqttClient } from "mqtt";
import { FLOW_DEVICE } from "./config.js";
import { sleep } from "./wait.js";

export interface FlowPublisher {
  /** Device times the broker acknowledged. */
  readonly acked: Set<number>;
  sent(): number;
  stop(): Promise<void>;
}

/** `perSecond` readings a second, in bursts of ten (bounded by `stop()`). */
export async function startFlow(url: string, perSecond: number, clientId: string): Promise<FlowPublisher> {
  const client: MqttClient = await mqtt.connectAsync(url, { protocolVersion: 4, clientId, clean: false, reconnectPeriod: 250, connectTimeout: 5000 });
  client.on("error", () => undefined); // reconnects on its own; loss is counted, not thrown
  const acked = new Set<number>();
  let sent = 0;
  let last = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      for (let i = 0; i < 10; i++) {
        const time = (last = Math.max(Date.now(), last + 1));
        sent++;
        const payload = JSON.stringify({ vital: "heart_rate", value: 60 + (time % 40), unit: "/min", time });
        client.publish(`vitals/${FLOW_DEVICE}/json`, payload, { qos: 1 }, (err) => {
          if (!err) acked.add(time);
        });
      }
      await sleep(10_000 / perSecond);
    }
  })();
  return {
    acked,
    sent: () => sent,
    async stop() {
      running = false;
      await loop;
      // Give in-flight PUBACKs a bounded moment, then leave.
      for (let i = 0; i < 50 && acked.size < sent && client.connected; i++) await sleep(100);
      await client.endAsync(true).catch(() => undefined);
    },
  };
}

/** One-shot publisher (trigger frames, fuzz). */
export async function connectPublisher(url: string): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 250, connectTimeout: 5000 });
  client.on("error", () => undefined);
  return client;
}

/** GATT 0x2A37 heart rate (flags 0, uint8): 150 /min is over the suite's 130 limit. */
export const heartRateFrame = (bpm: number): Buffer => Buffer.from([0x00, bpm]);
