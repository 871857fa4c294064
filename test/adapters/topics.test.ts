import { describe, expect, it } from "vitest";
import { routeTopic, subscriptionsFor } from "../../src/adapters/mqtt/topics.js";

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
});
