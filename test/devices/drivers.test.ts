/** One sweep over every driver under devices/: its vectors, its must-fail vectors, and registry invariants. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { driverModules } from "../../devices/index.js";
import { DriverRegistry } from "../../src/core/decode/registry.js";
import { decodeHex, runVectors } from "../../src/core/decode/vectors.js";
import { isUnitOf, isVital } from "../../src/core/model.js";

const modules = Object.entries(driverModules);

describe("every driver", () => {
  it("is found on disk (the sweep is not empty)", () => {
    expect(modules.length).toBeGreaterThanOrEqual(17);
  });

  it.each(modules)("%s passes its vectors and must-fail vectors", (_key, mod) => {
    expect(runVectors(mod)).toEqual([]);
  });

  it.each(modules)("%s cites a matcher and a readable name", (_key, mod) => {
    const { gatt, serviceData, manufacturerId } = mod.driver.match;
    expect([gatt, serviceData, manufacturerId].filter((m) => m !== undefined).length).toBe(1);
    if (gatt !== undefined) expect(gatt).toMatch(/^[0-9a-f]{4}$/);
    if (serviceData !== undefined) expect(serviceData).toMatch(/^[0-9a-f]{4}$/);
    expect(mod.driver.name.length).toBeGreaterThan(3);
  });

  it.each(modules)("%s states its wire contract in a comment", (key) => {
    const source = readFileSync(new URL(`../../devices/${key}.ts`, import.meta.url), "utf8");
    expect(source).toMatch(/\/\/ Wire contract: .+/);
  });

  it.each(modules)("%s emits only DESIGN §3 vitals in their UCUM units", (_key, mod) => {
    for (const v of mod.vectors) {
      for (const r of decodeHex(mod.driver, v.hex).readings) {
        expect(isVital(r.vital), `${v.name}: ${r.vital}`).toBe(true);
        expect(isUnitOf(r.vital, r.unit), `${v.name}: ${r.vital} in ${r.unit}`).toBe(true);
        expect(Number.isFinite(r.value)).toBe(true);
      }
    }
  });

  it("has unique ids and no two drivers claim one match", () => {
    const drivers = modules.map(([, m]) => m.driver);
    expect(new Set(drivers.map((d) => d.id)).size).toBe(drivers.length);
    expect(() => new DriverRegistry(drivers)).not.toThrow();
    expect(new DriverRegistry(drivers).drivers.length).toBe(drivers.length);
  });

  it("the registry refuses a duplicate id and a duplicate match", () => {
    const hr = driverModules["bt-sig/heartRate"]!.driver;
    expect(() => new DriverRegistry([hr, hr])).toThrow(/duplicate driver id/);
    expect(() => new DriverRegistry([hr, { ...hr, id: "copy" }])).toThrow(/both match gatt 2a37/);
  });
});
