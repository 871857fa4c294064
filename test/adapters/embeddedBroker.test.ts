/** The embedded broker with a login: anonymous and wrong-password clients are refused at CONNECT. */
import mqtt from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { startEmbeddedBroker, type EmbeddedBroker } from "../../src/adapters/mqtt/embeddedBroker.js";

let broker: EmbeddedBroker | undefined;
afterEach(async () => {
  await broker?.close();
  broker = undefined;
});

const tryConnect = async (url: string, login: { username?: string; password?: string }) => {
  try {
    const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...login });
    await client.endAsync();
    return "connected";
  } catch (e) {
    return (e as Error).message;
  }
};

describe("embedded broker", () => {
  it("with credentials, refuses anonymous and wrong logins and accepts the right one", async () => {
    broker = await startEmbeddedBroker("127.0.0.1", 0, { username: "bridges", password: "s3cret-pass" });
    expect(await tryConnect(broker.url, {})).toMatch(/Bad username or password|Not authorized/i);
    expect(await tryConnect(broker.url, { username: "bridges", password: "s3cret-pasS" })).toMatch(/Bad username or password|Not authorized/i);
    expect(await tryConnect(broker.url, { username: "other", password: "s3cret-pass" })).toMatch(/Bad username or password|Not authorized/i);
    expect(await tryConnect(broker.url, { username: "bridges", password: "s3cret-pass" })).toBe("connected");
  });

  it("without credentials, takes anonymous clients (the config keeps it on loopback)", async () => {
    broker = await startEmbeddedBroker("127.0.0.1", 0);
    expect(await tryConnect(broker.url, {})).toBe("connected");
  });
});
