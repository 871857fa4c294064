/** The generated driver index matches the files on disk; the scaffold writes a driver whose vector fails until filled in. */
import { mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_DEVICES_DIR, generateIndex, identifierOf, listDriverKeys } from "../../scripts/gen-device-index.js";
import { parseSpec, scaffoldDriver } from "../../scripts/new-driver.js";
import { runVectors } from "../../src/core/decode/vectors.js";
import type { DriverModule } from "../../src/core/decode/driver.js";

const tmp = mkdtempSync(join(tmpdir(), "vg-new-driver-"));
// Scaffolded drivers import ../../src/driverKit.js; in the temp tree that points at the real kit.
mkdirSync(join(tmp, "src"), { recursive: true });
writeFileSync(join(tmp, "src", "driverKit.ts"), `export * from ${JSON.stringify(join(process.cwd(), "src", "driverKit.ts"))};\n`);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("devices/index.ts", () => {
  it("is exactly what scripts/gen-device-index.ts generates from the files on disk", () => {
    expect(readFileSync(join(DEFAULT_DEVICES_DIR, "index.ts"), "utf8")).toBe(generateIndex(DEFAULT_DEVICES_DIR));
  });

  it("lists drivers, not shared helpers (files starting with _)", () => {
    const keys = listDriverKeys(DEFAULT_DEVICES_DIR);
    expect(keys).toContain("bt-sig/heartRate");
    expect(keys).toContain("polar/h10");
    expect(keys.some((k) => k.split("/").pop()!.startsWith("_"))).toBe(false);
    expect(identifierOf("bt-sig/heartRate")).toBe("btSigHeartRate");
  });
});

describe("npm run new-driver", () => {
  it("parses <vendor>/<model> into a file and an id, and refuses anything else", () => {
    expect(parseSpec("acme/pulse-ox")).toMatchObject({ file: "acme/pulseOx.ts", id: "acme.pulse-ox" });
    expect(parseSpec("acme/PulseOx2")).toMatchObject({ file: "acme/PulseOx2.ts", id: "acme.pulse-ox2" });
    expect(() => parseSpec("../etc/passwd")).toThrow(/not <vendor>\/<model>/);
    expect(() => parseSpec("acme")).toThrow();
  });

  it("scaffolds a driver with a failing vector and regenerates the index (in a temp dir)", async () => {
    const devices = join(tmp, "devices");
    const { path, indexPath } = scaffoldDriver({ devicesDir: devices, spec: "acme/pulse-ox", match: { manufacturerId: 0xffff } });
    expect(path).toBe(join(devices, "acme", "pulseOx.ts"));
    expect(readFileSync(indexPath, "utf8")).toContain('"acme/pulseOx": acmePulseOx,');
    expect(readFileSync(path, "utf8")).toContain("match: { manufacturerId: 0xffff }");
    expect(() => scaffoldDriver({ devicesDir: devices, spec: "acme/pulse-ox", match: { gatt: "2a37" } })).toThrow(/already exists/);

    const mod = (await import(path)) as DriverModule;
    expect(mod.driver.id).toBe("acme.pulse-ox");
    const problems = runVectors(mod).map((p) => p.vector);
    expect(problems).toEqual(["TODO captured frame", "empty frame"]);
  });

  it("the worked example in devices/README.md, pasted into the scaffold, passes its vectors", async () => {
    const devices = join(tmp, "devices");
    const { path } = scaffoldDriver({ devicesDir: devices, spec: "acme/po-1", match: { gatt: "ffe1" } });
    const [vectors, decode] = [...readFileSync(join(DEFAULT_DEVICES_DIR, "README.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    let source = readFileSync(path, "utf8");
    source = source.replace(/ {2}decode\(r\) \{[\s\S]*?\n {2}\},\n/, `  ${decode!.replace(/\n/g, "\n  ").trimEnd()}\n`);
    source = source.replace(/\/\/ TODO replace[\s\S]*/, vectors!);
    writeFileSync(path, source);
    const mod = (await import(path)) as DriverModule;
    expect(mod.vectors.length).toBe(3);
    expect(runVectors(mod)).toEqual([]);
  });
});
