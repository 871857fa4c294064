/** One test per key of the bridge-decoded field table (bridgeFields.ts), with its refusals. */
import { describe, expect, it } from "vitest";
import { BRIDGE_FIELDS, decodeBridgeFields } from "../../../src/core/decode/bridgeFields.js";

const readings = (msg: Record<string, unknown>) => decodeBridgeFields(msg)?.readings;
const why = (msg: Record<string, unknown>, key: string) => (decodeBridgeFields(msg)?.fields["no_reading"] as Record<string, string> | undefined)?.[key];

describe("bridge-decoded fields → vitals and UCUM units", () => {
  it("covers exactly the keys the tests below check", () => {
    expect(Object.keys(BRIDGE_FIELDS).sort()).toEqual(["act_bpm", "batt", "bpm", "impedance", "steps", "tempc", "tempf", "weight"]);
  });

  it("bpm → heart_rate /min; 0 (no skin contact) is no reading", () => {
    expect(readings({ bpm: 70 })).toEqual([{ vital: "heart_rate", value: 70, unit: "/min" }]);
    expect(why({ bpm: 0 }, "bpm")).toMatch(/contact/);
  });

  it("act_bpm → heart_rate /min", () => {
    expect(readings({ act_bpm: 88 })).toEqual([{ vital: "heart_rate", value: 88, unit: "/min" }]);
  });

  it("weight + unit kg|lb → body_weight kg|[lb_av], only for weighing_mode person", () => {
    expect(readings({ weight: 72.45, unit: "kg", weighing_mode: "person" })).toEqual([{ vital: "body_weight", value: 72.45, unit: "kg" }]);
    expect(readings({ weight: 131.7, unit: "lb", weighing_mode: "person" })).toEqual([{ vital: "body_weight", value: 131.7, unit: "[lb_av]" }]);
    expect(why({ weight: 9.55, unit: "kg", weighing_mode: "object" }, "weight")).toMatch(/not 'person'/);
    expect(why({ weight: 1.2, unit: "kg" }, "weight")).toMatch(/no weighing_mode/); // a kitchen scale
    expect(() => decodeBridgeFields({ weight: 70, unit: "jin", weighing_mode: "person" })).toThrow(/'unit'/);
  });

  it("impedance → impedance Ohm, only for a person weighing", () => {
    expect(readings({ impedance: 503, weighing_mode: "person" })).toEqual([{ vital: "impedance", value: 503, unit: "Ohm" }]);
    expect(readings({ impedance: 503, weighing_mode: "object" })).toEqual([]);
  });

  it("tempc → body_temperature Cel only from a device the bridge types BODY", () => {
    expect(readings({ tempc: 37.2, type: "BODY" })).toEqual([{ vital: "body_temperature", value: 37.2, unit: "Cel" }]);
    expect(why({ tempc: 21.5, type: "THB" }, "tempc")).toMatch(/ambient/);
  });

  it("tempf → body_temperature [degF], unless tempc is there", () => {
    expect(readings({ tempf: 99.1, type: "BODY" })).toEqual([{ vital: "body_temperature", value: 99.1, unit: "[degF]" }]);
    expect(readings({ tempc: 37.3, tempf: 99.14, type: "BODY" })).toEqual([{ vital: "body_temperature", value: 37.3, unit: "Cel" }]);
  });

  it("batt → battery_level %", () => {
    expect(readings({ batt: 89 })).toEqual([{ vital: "battery_level", value: 89, unit: "%" }]);
    expect(() => decodeBridgeFields({ batt: 140 })).toThrow(/'batt' 140 is outside 0..100/);
  });

  it("steps → steps {steps}", () => {
    expect(readings({ steps: 4321 })).toEqual([{ vital: "steps", value: 4321, unit: "{steps}" }]);
  });

  it("a non-number names its key; a message with none of the keys is not for this table", () => {
    expect(() => decodeBridgeFields({ bpm: null })).toThrow(/'bpm' must be a finite number/);
    expect(decodeBridgeFields({ hum: 52, volt: 2.9 })).toBeUndefined();
  });
});
