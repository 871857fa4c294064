import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { of } from "rxjs";
import { describe, expect, it } from "vitest";
import { readSightings, SightingStore } from "../../src/adapters/sqlite/sightingStore.js";
import type { DecodedFrame } from "../../src/core/pipeline/decodeFrames.js";
import { recordSightings, sightingOf, type Sighting } from "../../src/core/pipeline/recordSightings.js";

const file = () => join(mkdtempSync(join(tmpdir(), "vg-sight-")), "devices.db");
const seen = (deviceId: string, at: number, extra: Partial<Sighting> = {}): Sighting => ({ deviceId, driverId: "polar.h10", kinds: "heart_rate", via: "home/A/BTtoMQTT", at, rssi: -60, ...extra });

describe("SightingStore (devices.db)", () => {
  it("keeps one row per device, the latest bridge and RSSI, and never a value", () => {
    const f = file();
    const store = new SightingStore(f);
    store.record(seen("aa", 1000));
    store.record(seen("aa", 60_000, { via: "home/B/BTtoMQTT", rssi: -80 }));
    store.close();
    expect(readSightings(f)).toEqual([{ deviceId: "aa", driver: "polar.h10", kinds: "heart_rate", rssi: -80, via: "home/B/BTtoMQTT", firstSeen: 1000, lastSeen: 60_000, heard: 2 }]);
  });

  it("throttles writes of an unchanged sighting (an advert a second), still counting them", () => {
    const f = file();
    const store = new SightingStore(f, () => {}, { cap: 10, throttleMs: 10_000 });
    for (let t = 0; t < 10; t++) store.record(seen("aa", t * 1000));
    expect(readSightings(f)[0]).toMatchObject({ lastSeen: 0, heard: 1 });
    store.record(seen("aa", 12_000));
    expect(readSightings(f)[0]).toMatchObject({ lastSeen: 12_000, heard: 11 });
    store.close();
  });

  it("is capped: the least recently heard devices go first", () => {
    const f = file();
    const store = new SightingStore(f, () => {}, { cap: 3, throttleMs: 0 });
    for (const [i, id] of ["a", "b", "c", "d", "e"].entries()) store.record(seen(id, i * 1000));
    expect(readSightings(f).map((r) => r.deviceId)).toEqual(["e", "d", "c"]);
    store.close();
  });

  it("forgets a device once it is assigned; reopening keeps what it knew", () => {
    const f = file();
    const first = new SightingStore(f);
    first.record(seen("aa", 1));
    first.record(seen("bb", 2));
    first.close();
    const again = new SightingStore(f);
    again.forget("aa");
    expect(readSightings(f).map((r) => r.deviceId)).toEqual(["bb"]);
    again.close();
  });

  it("reports a failed write instead of throwing into the ingest path", () => {
    const dir = mkdtempSync(join(tmpdir(), "vg-sight-"));
    const errors: Error[] = [];
    const store = new SightingStore(join(dir, "devices.db"), (e) => errors.push(e));
    store.close(); // a closed database stands in for a failing disk
    expect(() => store.record(seen("aa", 1))).not.toThrow();
    expect(errors).toHaveLength(1);
  });
});

describe("recordSightings", () => {
  const frame = (deviceId: string): DecodedFrame => ({
    frame: { deviceId, source: "mqtt:bridge", channel: "home/A/BTtoMQTT", bytes: new Uint8Array(), receivedAt: 5 },
    driverId: "xiaomi.mi-scale",
    values: [],
    heard: { deviceId, rssi: -70, via: "home/A/BTtoMQTT" },
  });

  it("records unassigned devices, forgets assigned ones, and passes every frame on", () => {
    const calls: string[] = [];
    const out: string[] = [];
    of(frame("mine"), frame("stranger"))
      .pipe(recordSightings((id) => (id === "mine" ? "p1" : undefined), { record: (s) => calls.push(`record ${s.deviceId}`), forget: (id) => calls.push(`forget ${id}`) }))
      .subscribe((d) => out.push(d.frame.deviceId));
    expect(calls).toEqual(["forget mine", "record stranger"]);
    expect(out).toEqual(["mine", "stranger"]);
  });

  it("a frame that decoded to no reading (object on the scale) is seen as 'none'; the hub's radio as 'ble'", () => {
    expect(sightingOf(frame("s"))).toEqual({ deviceId: "s", driverId: "xiaomi.mi-scale", kinds: "none", rssi: -70, via: "home/A/BTtoMQTT", at: 5 });
    const ble: DecodedFrame = { frame: { deviceId: "h", source: "ble:adv", channel: "manufacturer_data", bytes: new Uint8Array(), receivedAt: 1 }, driverId: "polar.h10", values: [{ vital: "heart_rate", value: 1, unit: "/min" }] };
    expect(sightingOf(ble)).toMatchObject({ via: "ble", kinds: "heart_rate" });
  });
});
