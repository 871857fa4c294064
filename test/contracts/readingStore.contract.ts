/** The ReadingStore contract: every adapter (SQLite, in-memory fake) must pass it. */
import { afterEach, describe, expect, it } from "vitest";
import type { ReadingStore } from "../../src/ports/readingStore.js";
import { reading } from "../helpers/frames.js";

export function readingStoreContract(name: string, make: () => { store: ReadingStore; reopen?: () => ReadingStore }): void {
  describe(`ReadingStore contract: ${name}`, () => {
    let store: ReadingStore;
    afterEach(() => store.close());

    it("stores a batch and reads it back in time order, filtered by patient, vital and time", () => {
      ({ store } = make());
      store.appendBatch([
        reading("p1", "heart_rate", 72, "/min", 3000),
        reading("p1", "spo2", 97, "%", 1000),
        reading("p2", "heart_rate", 90, "/min", 2000),
        { ...reading("p1", "body_temperature", 37.0, "Cel", 2000), precision: 1, quality: ["device_time", "artifact"] },
      ]);
      expect(store.count()).toBe(4);
      expect(store.readSince({ patientId: "p1", since: 0 }).map((r) => r.value)).toEqual([97, 37.0, 72]);
      expect(store.readSince({ patientId: "p1", vital: "heart_rate", since: 0 })).toEqual([reading("p1", "heart_rate", 72, "/min", 3000)]);
      expect(store.readSince({ patientId: "p1", since: 2000, limit: 1 })).toEqual([
        { ...reading("p1", "body_temperature", 37.0, "Cel", 2000), precision: 1, quality: ["device_time", "artifact"] },
      ]);
    });

    it("latest() gives the last reading of each vital", () => {
      ({ store } = make());
      store.appendBatch([reading("p1", "heart_rate", 70, "/min", 1), reading("p1", "heart_rate", 71, "/min", 2)]);
      store.appendBatch([reading("p1", "spo2", 95, "%", 3), reading("p2", "spo2", 80, "%", 4)]);
      expect(store.latest("p1").map((r) => [r.vital, r.value])).toEqual([["heart_rate", 71], ["spo2", 95]]);
      expect(store.latest("nobody")).toEqual([]);
    });

    it("prunes readings older than the retention line, and only those", () => {
      ({ store } = make());
      store.appendBatch([reading("p1", "heart_rate", 60, "/min", 1000), reading("p1", "heart_rate", 61, "/min", 2000), reading("p2", "spo2", 97, "%", 3000)]);
      expect(store.pruneBefore(2000)).toBe(1);
      expect(store.count()).toBe(2);
      expect(store.readSince({ patientId: "p1", since: 0 }).map((r) => r.value)).toEqual([61]);
      expect(store.pruneBefore(0)).toBe(0);
    });

    it("is healthy while open and not after close", () => {
      ({ store } = make());
      expect(store.healthy()).toBe(true);
      store.close();
      expect(store.healthy()).toBe(false);
    });

    it("stores a device-timed reading once however often it comes (redelivery, replay), and says how many were new", () => {
      ({ store } = make());
      const timed = (value: number, time: number, deviceId = "strap") => ({ ...reading("p1", "heart_rate", value, "/min", time), deviceId, quality: ["device_time"] as const });
      expect(store.appendBatch([timed(70, 1000), timed(71, 2000)])).toBe(2);
      expect(store.appendBatch([timed(70, 1000), timed(72, 3000), timed(72, 3000), timed(70, 1000, "other")])).toBe(2);
      expect(store.count()).toBe(4);
      expect(store.readSince({ patientId: "p1", since: 0 }).map((r) => [r.deviceId, r.value])).toEqual([["strap", 70], ["other", 70], ["strap", 71], ["strap", 72]]);
    });

    it("keeps receipt-timed readings with equal time (several RR intervals of one frame)", () => {
      ({ store } = make());
      const rr = (value: number) => reading("p1", "rr_interval", value, "s", 5000);
      expect(store.appendBatch([rr(0.8), rr(0.8), rr(0.81)])).toBe(3);
      expect(store.count()).toBe(3);
    });

    it("writes batches larger than one multi-row insert, and their remainder", () => {
      ({ store } = make());
      const many = Array.from({ length: 123 }, (_, i) => reading("p1", "heart_rate", 60 + (i % 50), "/min", 1000 + i));
      expect(store.appendBatch(many)).toBe(123);
      expect(store.readSince({ patientId: "p1", since: 0 }).map((r) => r.value)).toEqual(many.map((r) => r.value));
    });

    it("an empty batch is a no-op", () => {
      ({ store } = make());
      store.appendBatch([]);
      expect(store.count()).toBe(0);
    });

    it("what was written survives a reopen (durable adapters only)", () => {
      const made = make();
      store = made.store;
      store.appendBatch([reading("p1", "heart_rate", 66)]);
      if (!made.reopen) return;
      store.close();
      store = made.reopen();
      expect(store.latest("p1").map((r) => r.value)).toEqual([66]);
    });
  });
}
