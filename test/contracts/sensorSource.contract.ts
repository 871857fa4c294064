/** The SensorSource contract for MQTT-shaped sources: real adapter on aedes and on mosquitto, and the fake. */
import { firstValueFrom, take, toArray } from "rxjs";
import { afterEach, describe, expect, it } from "vitest";
import type { SensorSource } from "../../src/ports/sensorSource.js";

export interface SourceUnderTest {
  readonly source: SensorSource;
  publish(topic: string, payload: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export function sensorSourceContract(name: string, make: () => Promise<SourceUnderTest>): void {
  describe(`SensorSource contract: ${name}`, () => {
    let sut: SourceUnderTest | undefined;
    afterEach(async () => {
      await sut?.close();
      sut = undefined;
    });

    it("is connected after start and hands on frames with device, source, channel and the exact bytes", async () => {
      sut = await make();
      expect(sut.source.connected).toBe(true);
      const frames = firstValueFrom(sut.source.frames$.pipe(take(2), toArray()));
      await sut.publish("vitals/c1a2b3/gatt/2A37", Uint8Array.from([0x16, 0x4d, 0x16, 0x03]));
      await sut.publish("vitals/mon-1/json", new TextEncoder().encode('{"vital":"spo2","value":97,"unit":"%"}'));
      const [gatt, json] = await frames;
      expect(gatt).toMatchObject({ deviceId: "c1a2b3", source: "mqtt:gatt", channel: "2a37" });
      expect([...(gatt?.bytes ?? [])]).toEqual([0x16, 0x4d, 0x16, 0x03]);
      expect(json).toMatchObject({ deviceId: "mon-1", source: "mqtt:json", channel: "json" });
      expect(typeof gatt?.receivedAt).toBe("number");
    });

    it("turns unreadable topics and empty payloads into diagnostics, not frames", async () => {
      sut = await make();
      const diagnostics = firstValueFrom(sut.source.diagnostics$.pipe(take(2), toArray()));
      await sut.publish("vitals/dev/gatt/not-a-uuid", Uint8Array.from([1]));
      await sut.publish("vitals/dev/json", new Uint8Array());
      const [topic, empty] = await diagnostics;
      expect(topic).toMatchObject({ code: "bad_payload", where: "mqtt", message: expect.stringContaining("'vitals/dev/gatt/not-a-uuid'") as string });
      expect(empty).toMatchObject({ code: "bad_payload", where: "device dev mqtt topic vitals/dev/json" });
    });

    it("is not connected after stop, and its streams complete", async () => {
      sut = await make();
      const done = firstValueFrom(sut.source.frames$.pipe(toArray()));
      await sut.source.stop();
      expect(sut.source.connected).toBe(false);
      expect(await done).toEqual([]);
    });
  });
}
