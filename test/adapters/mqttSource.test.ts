/**
 * The MQTT source when the broker is not there yet: start() does not fail (BLE sensors, the
 * console and open alarms must not wait for the broker), the outage is reported once, and frames
 * flow as soon as the broker comes up.
 */
import { createServer } from "node:net";
import mqtt from "mqtt";
import { describe, expect, it, vi } from "vitest";
import { startEmbeddedBroker } from "../../src/adapters/mqtt/embeddedBroker.js";
import { MqttSource } from "../../src/adapters/mqtt/mqttSource.js";
import type { Diagnostic } from "../../src/core/errors.js";
import type { RawFrame } from "../../src/core/model.js";
import { fixedClock } from "../helpers/frames.js";

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("MqttSource without a broker", () => {
  it("starts, reports the outage once, and takes frames once the broker is up", async () => {
    const port = await freePort();
    const source = new MqttSource({ url: `mqtt://127.0.0.1:${port}`, topicPrefix: "vitals", clientId: `late-broker-${port}` }, fixedClock());
    const diagnostics: Diagnostic[] = [];
    const frames: RawFrame[] = [];
    source.diagnostics$.subscribe((d) => diagnostics.push(d));
    source.frames$.subscribe((f) => frames.push(f));
    await source.start();
    expect(source.connected).toBe(false);
    expect(diagnostics).toEqual([expect.objectContaining({ code: "device_link", where: "mqtt", message: expect.stringContaining("MQTT broker unreachable") as string })]);

    const broker = await startEmbeddedBroker("127.0.0.1", port);
    const device = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    try {
      await vi.waitFor(() => expect(source.connected).toBe(true), { timeout: 10_000, interval: 50 });
      await vi.waitFor(
        async () => {
          await device.publishAsync("vitals/strap1/gatt/2a37", Buffer.from([0x00, 72]), { qos: 1 }); // GATT 0x2A37: flags 0, HR 72
          expect(frames.length).toBeGreaterThan(0);
        },
        { timeout: 10_000, interval: 100 },
      );
      expect(frames[0]).toMatchObject({ deviceId: "strap1", source: "mqtt:gatt", channel: "2a37", bytes: Uint8Array.from([0x00, 72]) });
      expect(diagnostics).toHaveLength(1); // retries while it was down were not reported again
    } finally {
      await device.endAsync();
      await source.stop();
      await broker.close();
    }
  });
});
