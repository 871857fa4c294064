import { describe, expect, it } from "vitest";
import { routeTopic, subscriptionsFor, topicMatches } from "../../src/adapters/mqtt/topics.js";

describe("MQTT topic routing", () => {
  it.each([
    ["vitals/c1a2b3/gatt/2A37", { deviceId: "c1a2b3", source: "mqtt:gatt", channel: "2a37" }],
    ["vitals/mon-1/json", { deviceId: "mon-1", source: "mqtt:json", channel: "json" }],
    ["vitals/scale/adv/service_data/181D", { deviceId: "scale", source: "mqtt:adv", channel: "service_data:181d" }],
    ["vitals/h10/adv/manufacturer_data", { deviceId: "h10", source: "mqtt:adv", channel: "manufacturer_data" }],
  ])("%s → %j", (topic, expected) => {
    expect(routeTopic("vitals", topic)).toEqual({ ok: true, ...expected });
  });

  it.each([
    ["other/dev/json", "does not start with 'vitals/'"],
    ["vitals/dev/gatt/2a3", "expected"],
    ["vitals/dev/gatt/2a37/extra", "expected"],
    ["vitals/dev/adv/service_data", "expected"],
    ["vitals/dev/adv/weird", "expected"],
    ["vitals/bad id!/json", "device id"],
    ["vitals//json", "device id"],
  ])("refuses %s", (topic, why) => {
    const r = routeTopic("vitals", topic);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.why).toContain(why);
  });

  it("subscribes to exactly the routed shapes", () => {
    expect(subscriptionsFor("ward/3")).toEqual(["ward/3/+/gatt/+", "ward/3/+/json", "ward/3/+/adv/#"]);
  });

  describe("bridges (mqtt.bridges)", () => {
    const bridges = ["home/+/BTtoMQTT/+"];
    it.each([
      ["home/TheengsGateway/BTtoMQTT/A09E1A750873", { deviceId: "a09e1a750873", source: "mqtt:bridge", channel: "home/TheengsGateway/BTtoMQTT" }],
      ["home/OpenMQTTGateway/BTtoMQTT/C7FaaD132C00", { deviceId: "c7faad132c00", source: "mqtt:bridge", channel: "home/OpenMQTTGateway/BTtoMQTT" }],
      ["home/OMG_ESP32/BTtoMQTT/undecoded", { deviceId: "undecoded", source: "mqtt:bridge", channel: "home/OMG_ESP32/BTtoMQTT" }],
    ])("%s → %j", (topic, expected) => {
      expect(routeTopic("vitals", topic, bridges)).toEqual({ ok: true, ...expected });
    });

    it("refuses an iBeacon UUID topic (OpenMQTTGateway pubBeaconUuidForTopic): no MAC, no device", () => {
      const r = routeTopic("vitals", "home/OMG/BTtoMQTT/1de4b189115e45f6b44e509352269977", bridges);
      expect(r).toMatchObject({ ok: false, why: expect.stringContaining("MAC") as unknown });
    });

    it("without mqtt.bridges a bridge topic is not routed (none by default)", () => {
      expect(routeTopic("vitals", "home/TheengsGateway/BTtoMQTT/A09E1A750873").ok).toBe(false);
    });

    it("subscribes to the configured filters beside its own", () => {
      expect(subscriptionsFor("vitals", bridges)).toEqual(["vitals/+/gatt/+", "vitals/+/json", "vitals/+/adv/#", "home/+/BTtoMQTT/+"]);
    });

    it.each([
      ["home/+/BTtoMQTT/+", "home/a/BTtoMQTT/b", true],
      ["home/+/BTtoMQTT/+", "home/a/BTtoMQTT", false],
      ["home/+/BTtoMQTT/+", "home/a/BTtoMQTT/b/c", false],
      ["home/#", "home/a/BTtoMQTT/b", true],
      ["home/TheengsGateway/BTtoMQTT/+", "home/OMG/BTtoMQTT/b", false],
    ])("filter %s matches %s: %s", (filter, topic, expected) => {
      expect(topicMatches(filter, topic)).toBe(expected);
    });
  });
});
