/**
 * The device-maker path of devices/README.md, followed as written, in a throwaway copy of the
 * package: scaffold with `npm run new-driver`, paste the guide's decoder and vectors, and
 * `npm run decode` the guide's frame at once, with no build step in between.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { matchFrom } from "../../scripts/new-driver.js";
import * as kit from "../../src/driverKit.js";
import { packagePath } from "../../src/packageRoot.js";

const tmp = mkdtempSync(join(tmpdir(), "vg-maker-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const uuid = (v: string) => v;

describe("new-driver refuses to guess what a device sends", () => {
  it("asks for a company id (or a UUID) instead of inventing one, and takes exactly one", () => {
    expect(() => matchFrom({}, uuid)).toThrow(/--manufacturer-id <0xNNNN>.*first two bytes of the manufacturer data, little-endian.*Not guessed/);
    expect(() => matchFrom({ gatt: "2a37", "manufacturer-id": "0x006b" }, uuid)).toThrow("give one of --gatt, --service-data, --manufacturer-id (got --gatt and --manufacturer-id)");
    expect(matchFrom({ "manufacturer-id": "0x006b" }, uuid)).toEqual({ manufacturerId: 0x6b });
    expect(() => matchFrom({ "manufacturer-id": "0x10000" }, uuid)).toThrow(/16-bit company id/);
  });

  it("exits 2 with that message from the command line, writing nothing", () => {
    const r = spawnSync(process.execPath, [packagePath("node_modules/tsx/dist/cli.mjs"), packagePath("scripts/new-driver.ts"), "acme/po-1", "--dir", join(tmp, "none")], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^new-driver: what does the device send\?/);
  });
});

describe("devices/README.md 'Add a driver in 15 minutes'", () => {
  it("decodes the worked example right after the scaffold, with no build step", () => {
    for (const part of ["src", "devices", "scripts", "package.json", "tsconfig.json"]) cpSync(packagePath(part), join(tmp, part), { recursive: true });
    symlinkSync(packagePath("node_modules"), join(tmp, "node_modules"));
    const npm = (...args: string[]) => spawnSync("npm", ["run", "-s", ...args], { cwd: tmp, encoding: "utf8", timeout: 120_000 });

    const scaffold = npm("new-driver", "--", "acme/po-1", "--gatt", "ffe1");
    expect(scaffold.stderr).toBe("");
    expect(scaffold.stdout).toContain("npm run decode -- ffe1 <hex of a captured frame>");

    // Steps 3 and 4: the guide's own vectors and decode(), pasted into the scaffold.
    const guide = readFileSync(packagePath("devices/README.md"), "utf8");
    const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const vectors = blocks.find((b) => b.includes("export const vectors"))!;
    const decode = blocks.find((b) => b.startsWith("decode(r)"))!;
    const file = join(tmp, "devices/acme/po1.ts");
    const scaffolded = readFileSync(file, "utf8");
    const driver = scaffolded.slice(0, scaffolded.indexOf("  decode(r) {")) + decode.replace(/^/gm, "  ").trimEnd() + "\n});\n\n" + vectors;
    writeFileSync(file, driver);

    const r = npm("decode", "--", "ffe1", "01614800");
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toMatchObject({ driver: "acme.po-1", readings: [{ vital: "spo2", value: 97, unit: "%" }, { vital: "pulse_rate", value: 72, unit: "/min" }] });
  });
});

it("documents every helper the driver kit exports in devices/README.md", () => {
  const guide = readFileSync(packagePath("devices/README.md"), "utf8");
  const kitSection = guide.slice(guide.indexOf("## The driver kit"));
  for (const name of Object.keys(kit)) expect(kitSection, name).toContain(`\`${name}`);
});
