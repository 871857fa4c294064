import mqtt from "mqtt";
import { startEmbeddedBroker } from "../../src/adapters/mqtt/embeddedBroker.js";
import { MqttSource } from "../../src/adapters/mqtt/mqttSource.js";
import { FakeSensorSource } from "../fakes/fakeSensorSource.js";
import { fixedClock } from "../helpers/frames.js";
import { startMosquitto } from "../helpers/mosquitto.js";
import { sensorSourceContract, type SourceUnderTest } from "./sensorSource.contract.js";

async function overBroker(url: string, closeBroker: () => Promise<void>): Promise<SourceUnderTest> {
  const source = new MqttSource({ url, topicPrefix: "vitals", clientId: `contract-${Math.random().toString(16).slice(2)}` }, fixedClock());
  await source.start();
  const device = await mqtt.connectAsync(url, { protocolVersion: 4 });
  return {
    source,
    publish: async (topic, payload) => void (await device.publishAsync(topic, Buffer.from(payload), { qos: 1 })),
    close: async () => {
      await device.endAsync();
      await source.stop();
      await closeBroker();
    },
  };
}

sensorSourceContract("MQTT adapter on the embedded aedes broker", async () => {
  const broker = await startEmbeddedBroker("127.0.0.1", 0);
  return overBroker(broker.url, () => broker.close());
});

sensorSourceContract("MQTT adapter on a real mosquitto broker", async () => {
  const broker = await startMosquitto();
  return overBroker(broker.url, broker.stop);
});

sensorSourceContract("in-process fake", async () => {
  const source = new FakeSensorSource("vitals", fixedClock());
  await source.start();
  return { source, publish: (t, p) => Promise.resolve(source.publish(t, p)), close: () => source.stop() };
});
