/** MqttSource.link$ against a real mosquitto: down when the broker goes away, up when it is back. */
import { expect, it, vi } from "vitest";
import { MqttSource } from "../../src/adapters/mqtt/mqttSource.js";
import type { LinkState } from "../../src/core/link.js";
import { fixedClock } from "../helpers/frames.js";
import { startMosquitto } from "../helpers/mosquitto.js";

it("reports up on connect, down when mosquitto stops, up again when it returns", async () => {
  const broker = await startMosquitto();
  const source = new MqttSource({ url: broker.url, topicPrefix: "vitals", clientId: `link-${broker.port}` }, fixedClock());
  const states: LinkState[] = [];
  source.link$.subscribe((s) => states.push(s));
  try {
    await source.start();
    // Down until the first CONNACK (so a broker that never answers is an alarm after the grace), then up.
    expect(states).toEqual([{ up: false, why: "not connected yet" }, { up: true }]);
    await broker.stop();
    await vi.waitFor(() => expect(states.some((s) => !s.up)).toBe(true), { timeout: 10_000, interval: 50 });
    expect(source.connected).toBe(false);
    await broker.restart();
    await vi.waitFor(() => expect(states.at(-1)).toEqual({ up: true }), { timeout: 15_000, interval: 50 });
  } finally {
    await source.stop();
    await broker.stop();
  }
});
