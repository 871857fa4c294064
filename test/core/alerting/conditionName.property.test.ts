/**
 * Device ids and condition names agree by construction (issue 9 item 1): for every device id the
 * config schema accepts, the name is one the real engine takes (not `action_rejected`), and two
 * ids never share a name. The generators come from the schema's own patterns, so a schema change
 * is tested without touching this file.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONDITION_NAME, conditionNameFor } from "../../../src/core/pipeline/conditionName.js";
import { rig } from "./helpers.js";

interface Schema {
  properties: { devices: { items: { properties: { id: { pattern: string } } } }; ble: { properties: { devices: { items: { properties: { id: { pattern: string } } } } } } };
}
const schema = JSON.parse(readFileSync(new URL("../../../config/gateway.schema.json", import.meta.url), "utf8")) as Schema;
const patterns = {
  "devices[].id": schema.properties.devices.items.properties.id.pattern,
  "ble.devices[].id": schema.properties.ble.properties.devices.items.properties.id.pattern,
};
const ids = (pattern: string) => fc.stringMatching(new RegExp(pattern)).filter((s) => new RegExp(pattern).test(s));

describe.each(Object.entries(patterns))("condition names for every %s the schema accepts", (_, pattern) => {
  it("match the engine's pattern and are accepted by the engine", () => {
    fc.assert(
      fc.property(ids(pattern), (id) => {
        const name = conditionNameFor("ble_link", id);
        expect(name).toMatch(CONDITION_NAME);
        const r = rig();
        const events = r.do((e) => e.onExternalCondition({ name, present: true, message: "Bluetooth sensor not connected" }));
        expect(events.filter((e) => e.type === "note")).toEqual([]); // no action_rejected bad_condition_name
      }),
      { numRuns: 300 },
    );
  });

  it("never give two ids the same name", () => {
    fc.assert(
      fc.property(fc.uniqueArray(ids(pattern), { minLength: 2, maxLength: 20 }), (list) => {
        expect(new Set(list.map((id) => conditionNameFor("ble_link", id))).size).toBe(list.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe("conditionNameFor", () => {
  it("is readable for the ids people use, and distinct where case or ':' differ", () => {
    expect(conditionNameFor("ble_link", "c0ffee001122")).toBe("ble_link.c0ffee001122");
    expect(conditionNameFor("ble_link", "blestrap")).toBe("ble_link.blestrap");
    const variants = ["AB", "ab", "a.b", "a:b", "a_b", "a..b", "a._b", "a-b"].map((id) => conditionNameFor("ble_link", id));
    expect(new Set(variants).size).toBe(variants.length);
  });

  it("the longest ids (64 characters, all escaped) fall back to a hash that fits and the engine takes", () => {
    for (const id of ["Z".repeat(64), ":".repeat(64), "a".repeat(64), `${"a".repeat(63)}B`, `${"a".repeat(63)}C`]) {
      const name = conditionNameFor("ble_link", id);
      expect(name).toMatch(CONDITION_NAME);
    }
    expect(conditionNameFor("ble_link", `${"a".repeat(63)}B`)).not.toBe(conditionNameFor("ble_link", `${"a".repeat(63)}C`));
    expect(conditionNameFor("ble_link", "a".repeat(55))).toBe(`ble_link.${"a".repeat(55)}`); // 9 + 55 = 64 still readable
    expect(conditionNameFor("ble_link", "a".repeat(56))).toMatch(/^ble_link-[0-9a-f]{32}$/);
  });

});
