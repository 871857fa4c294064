import fc from "fast-check";
import { expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createAlerting } from "../../../src/core/alerting/alerting.js";
import { resolveAlertingConfig } from "../../../src/core/alerting/config.js";
import { CONDITION_NAME, conditionNameFor, LINK_KINDS } from "../../../src/core/pipeline/conditionName.js";

// The device-id pattern exactly as the config schema states it (devices[] and ble.devices[]).
const schema = readFileSync(new URL("../../../config/gateway.schema.json", import.meta.url), "utf8");
const patterns = [...new Set([...schema.matchAll(/"title": "Device id",[^}]*?"pattern": "([^"]+)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string))];
const deviceIdPattern = new RegExp(patterns[0] ?? "^$");
const deviceIds = fc.stringMatching(deviceIdPattern);

it("reads one device-id pattern from the config schema", () => {
  expect(patterns).toEqual(["^[A-Za-z0-9_.:-]{1,64}$"]);
});

it("every valid device id gives a name the engine accepts, for every kind", () => {
  fc.assert(
    fc.property(fc.constantFrom(...LINK_KINDS), deviceIds, (kind, id) => {
      expect(conditionNameFor(kind, id)).toMatch(CONDITION_NAME);
    }),
    { numRuns: 2000 },
  );
});

it("two different device ids never share a condition (so one sensor's alarm never clears another's)", () => {
  fc.assert(
    fc.property(deviceIds, deviceIds, (a, b) => {
      fc.pre(a !== b);
      expect(conditionNameFor("ble_link", a)).not.toBe(conditionNameFor("ble_link", b));
    }),
    { numRuns: 2000 },
  );
  // The cases that fold to the same letters: case, colons, 64-character ids.
  const similar = ["C0:FF:EE:00:11:22", "c0:ff:ee:00:11:22", "c0_ff_ee_00_11_22", "C0FFEE001122", "c0ffee001122", "x".repeat(64), "x".repeat(63) + "y"];
  expect(new Set(similar.map((id) => conditionNameFor("ble_link", id))).size).toBe(similar.length);
});

it("keeps a readable name when the id is already valid, and the engine raises with it", () => {
  expect(conditionNameFor("ble_link", "c1a2b3c4d5e6")).toBe("ble_link.c1a2b3c4d5e6");
  expect(conditionNameFor("mqtt_broker")).toBe("mqtt_broker");
  const alerting = createAlerting(resolveAlertingConfig({}), { clock: { now: () => 0, monotonic: () => 0 }, newId: () => "a1" });
  const name = conditionNameFor("ble_link", "C0:FF:EE:00:11:22");
  const events = alerting.handle({ type: "technical", patientId: "p1", condition: { name, present: true, message: "lost", settled: true } });
  expect(events.map((e) => e.type)).toEqual(["raise"]);
});
