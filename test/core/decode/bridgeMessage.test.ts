import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { driverModules } from "../../../devices/index.js";
import { decodeFrame, type DecodeResult } from "../../../src/core/decode/decodeFrame.js";
import { DriverRegistry } from "../../../src/core/decode/registry.js";
import { DecodeError } from "../../../src/core/errors.js";
import { isUnitOf, type RawFrame } from "../../../src/core/model.js";
import * as m from "../../fixtures/bridges/messages.js";

const registry = new DriverRegistry(Object.values(driverModules).map((d) => d.driver));

function bridgeFrame(body: unknown, topicDevice = "undecoded", via = "home/TheengsGateway/BTtoMQTT"): RawFrame {
  const bytes = new TextEncoder().encode(typeof body === "string" ? body : JSON.stringify(body));
  return { deviceId: topicDevice, source: "mqtt:bridge", channel: via, bytes, receivedAt: 1_764_000_000_000 };
}
const ok = (r: DecodeResult) => {
  if (!r.ok) throw new Error(r.error.message);
  return r;
};
const refused = (r: DecodeResult) => {
  if (r.ok) throw new Error(`decoded: ${JSON.stringify(r.values)}`);
  return r.error;
};

describe("bridge messages: the gateway's own drivers read the raw advert", () => {
  it("Theengs Gateway, Polar H10: through polar.h10, device id = MAC lower case without colons", () => {
    const r = ok(decodeFrame(registry, bridgeFrame(m.theengsH10, "a09e1a750873")));
    expect(r.driverId).toBe("polar.h10");
    expect(r.values).toEqual([{ vital: "heart_rate", value: 70, unit: "/min" }]);
    expect(r.heard).toEqual({ deviceId: "a09e1a750873", rssi: -60, via: "home/TheengsGateway/BTtoMQTT" });
  });

  it("Theengs Gateway, Xiaomi scale: through xiaomi.mi-scale (with the scale's clock in fields)", () => {
    const r = ok(decodeFrame(registry, bridgeFrame(m.theengsScale, "5ccad3000001")));
    expect(r.driverId).toBe("xiaomi.mi-scale");
    expect(r.values).toEqual([{ vital: "body_weight", value: 61.75, unit: "kg", precision: 3 }]);
    expect(r.fields["timestamp"]).toBe("2022-02-14T16:41:58");
  });

  it("OpenMQTTGateway with pubadvdata (lower-case id) and its undecoded topic (MAC only in the JSON)", () => {
    expect(ok(decodeFrame(registry, bridgeFrame(m.omgH10, "a09e1a750873", "home/OMG_ESP32/BTtoMQTT"))).heard).toMatchObject({ deviceId: "a09e1a750873", rssi: -74 });
    const scale = ok(decodeFrame(registry, bridgeFrame(m.omgUndecodedScale, "undecoded", "home/OMG_ESP32/BTtoMQTT")));
    expect(scale).toMatchObject({ driverId: "xiaomi.mi-scale", heard: { deviceId: "5ccad3000001" } });
  });

  it("the gateway's decoding wins: a bridge's bpm is ignored where the driver says no contact", () => {
    const r = ok(decodeFrame(registry, bridgeFrame({ ...m.theengsH10, manufacturerdata: "6b002f166b00", bpm: 0 })));
    expect(r.values).toEqual([]);
    expect(r.fields["no_reading"]).toMatchObject({ heart_rate: "0 = strap not in contact" });
  });

  it("a scale's 'weight removed' repeat is the same weighing with the scale's clock: dedupeFrames keys on it (issue 12)", () => {
    const r = ok(decodeFrame(registry, bridgeFrame({ ...m.theengsScale, servicedata: "a23e30e607020e10293a" })));
    expect(r.values).toEqual([{ vital: "body_weight", value: 61.75, unit: "kg", precision: 3 }]);
    expect(r.fields).toMatchObject({ weight_removed: true, timestamp: "2022-02-14T16:41:58" });
  });
});

describe("bridge messages: fields the bridge decoded, only for devices no driver knows", () => {
  it("a room thermometer gives its battery level but never a body temperature", () => {
    const r = ok(decodeFrame(registry, bridgeFrame(m.inkbirdRoom)));
    expect(r.driverId).toBe("bridge:IBS-TH1/TH2/P01B");
    expect(r.values).toEqual([{ vital: "battery_level", value: 89, unit: "%" }]);
    expect(r.fields["no_reading"]).toMatchObject({ tempc: expect.stringContaining("ambient") as unknown });
  });

  it("refuses decoded-only messages of a model a driver reads, naming model_id and the bridge setting", () => {
    const e = refused(decodeFrame(registry, bridgeFrame(m.theengsH10DecodedOnly)));
    expect(e.field).toBe("model_id");
    expect(e.message).toMatch(/'model_id' H10.*publish_advdata.*pubadvdata/);
  });
});

describe("malformed or unknown bridge messages are refused naming the key", () => {
  it.each([
    ["not JSON", "{id:", "payload"],
    ["an array", "[]", "payload"],
    ["no id", { rssi: -60, bpm: 70 }, "id"],
    ["an iBeacon UUID as id", { ...m.theengsH10, id: "1de4b189115e45f6b44e509352269977" }, "id"],
    ["rssi a string", { ...m.theengsH10, rssi: "-60" }, "rssi"],
    ["servicedata not hex", { ...m.omgUndecodedScale, servicedata: "22zz" }, "servicedata"],
    ["servicedatauuid not 16-bit", { ...m.omgUndecodedScale, servicedatauuid: "0x0000181d0000" }, "servicedatauuid"],
    ["manufacturerdata odd length", { ...m.omgH10, manufacturerdata: "6b0" }, "manufacturerdata"],
    ["manufacturerdata without a company id", { id: m.H10_MAC, manufacturerdata: "6b" }, "manufacturerdata"],
    ["a raw advert the driver refuses", { ...m.omgUndecodedScale, servicedata: "223e30e607020e" }, "time_stamp"],
    ["bpm a string (old OpenMQTTGateway)", { id: "11:22:33:44:55:66", bpm: "70" }, "bpm"],
  ])("%s", (_name, body, key) => {
    const e = refused(decodeFrame(registry, bridgeFrame(body)));
    expect(`${e.field ?? ""} ${e.message}`).toContain(key);
  });

  it("refuses an id that is not the topic's MAC", () => {
    expect(refused(decodeFrame(registry, bridgeFrame(m.theengsH10, "112233445566"))).message).toMatch(/'id'.*not the MAC in the topic/);
  });

  it("names what it could not read in a message with no driver and no health key (OpenMQTTGateway beacon)", () => {
    const e = refused(decodeFrame(registry, bridgeFrame(m.omgBeacon, "45e174126e00", "home/OpenMQTTGateway/BTtoMQTT")));
    expect(e.code).toBe("decode_unknown_source");
    expect(e.message).toContain("service_data without servicedatauuid");
    const apple = refused(decodeFrame(registry, bridgeFrame({ id: "11:22:33:44:55:66", rssi: -70, manufacturerdata: "4c0009060304c0a87b1e" })));
    expect(apple.message).toContain("manufacturer_data 0x004c");
  });
});

describe("any JSON a bridge might send", () => {
  it("decodes or is refused with a DecodeError naming a key; never throws, never a value outside DESIGN units", () => {
    const keys = ["id", "rssi", "servicedata", "servicedatauuid", "manufacturerdata", "model_id", "type", "weighing_mode", "unit", "bpm", "act_bpm", "weight", "impedance", "tempc", "tempf", "batt", "steps"];
    const value = fc.oneof(fc.constantFrom(m.H10_MAC, "0x181d", "6b003b164446", "223e30e607020e10293a", "person", "kg", "lb", "BODY", "H10"), fc.double(), fc.integer(), fc.string({ maxLength: 12 }), fc.boolean(), fc.constant(null));
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 8 }), (msg) => {
        const r = decodeFrame(registry, bridgeFrame(msg));
        if (!r.ok) {
          expect(r.error).toBeInstanceOf(DecodeError);
          expect(r.error.field).toBeTypeOf("string");
          return;
        }
        for (const v of r.values) expect(Number.isFinite(v.value) && isUnitOf(v.vital, v.unit)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
