/** `vitals-gateway decode <source> <hex>` through main(), as DESIGN §4 specifies it. */
import { spawnSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";

let out = "";
let err = "";
beforeEach(() => {
  out = "";
  err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

const decode = (...args: string[]) => main(["decode", ...args]);

describe("vitals-gateway decode", () => {
  it("prints driver, readings and fields for a GATT characteristic", async () => {
    expect(await decode("2a37", "16 4d 16 03")).toBe(0);
    expect(JSON.parse(out)).toEqual({
      driver: "bt-sig.heart-rate",
      readings: [
        { vital: "heart_rate", value: 77, unit: "/min" },
        { vital: "rr_interval", value: 0.771484375, unit: "s" },
      ],
      fields: { heart_rate: 77, sensor_contact: "detected", rr_intervals: [0.771484375] },
    });
  });

  it("accepts 0x2A35 and the 128-bit UUID form", async () => {
    expect(await decode("0x2A35", "15bdf00b009ff03c001200")).toBe(0);
    expect(await decode("00002a35-0000-1000-8000-00805f9b34fb", "15bdf00b009ff03c001200")).toBe(0);
    const [a, b] = out.trim().split("\n").map((l) => JSON.parse(l) as { readings: unknown[] });
    expect(a).toEqual(b);
    // Its status says the cuff was too loose: kept, flagged as an artifact.
    expect(a!.readings[0]).toEqual({ vital: "systolic_bp", value: 18.9, unit: "kPa", precision: 1, artifact: "measurement status: cuff_too_loose" });
  });

  it("decodes sfloat and float, special values by name", async () => {
    for (const [kind, hex, value] of [["sfloat", "65f0", 10.1], ["sfloat", "fe07", "+INF"], ["sfloat", "0008", "NRes"], ["float", "87d612fe", 12345.67], ["float", "ffff7f00", "NaN"]] as const) {
      out = "";
      expect(await decode(kind, hex)).toBe(0);
      expect(JSON.parse(out)).toEqual({ value });
    }
  });

  it("decodes advertisement service data and manufacturer data (company id first)", async () => {
    expect(await decode("adv:service_data:181d", "627607e607020e10293a")).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ driver: "xiaomi.mi-scale", readings: [], fields: { weighing_mode: "object", weight: 9.55 } });
    out = "";
    expect(await decode("adv:manufacturer_data", "6b003b164446")).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ driver: "polar.h10", readings: [{ vital: "heart_rate", value: 70 }] });
  });

  it("a malformed payload exits 1 naming the field and byte offset", async () => {
    expect(await decode("2a35", "1e8a0058")).toBe(1);
    expect(out).toBe("");
    expect(err).toBe("vitals-gateway decode: bt-sig.blood-pressure: field 'diastolic' needs 2 byte(s) at offset 3, frame has 4\n");
  });

  it("a wrong CGM E2E-CRC exits 1 naming e2e_crc", async () => {
    expect(await decode("2aa7", "0fe3d2e405000214ff02f0e5f38e3e")).toBe(1);
    expect(err).toContain("field 'e2e_crc' at offset 13");
  });

  it("a short sfloat exits 1 naming the field and offset", async () => {
    expect(await decode("sfloat", "65")).toBe(1);
    expect(err).toContain("field 'value' needs 2 byte(s) at offset 0");
  });

  it("an unknown characteristic exits 1; a bad source or bad hex is a usage error (2)", async () => {
    expect(await decode("2a99", "00")).toBe(1);
    expect(err).toContain("no driver for ble:gatt channel '2a99'");
    expect(await decode("bogus", "00")).toBe(2);
    expect(await decode("2a37", "abc")).toBe(2);
    expect(await decode("2a37")).toBe(2);
    expect(err).toContain("usage: vitals-gateway decode <source> <hex>");
  });
});

describe("vitals-gateway decode as a process", () => {
  it("exits 0 with JSON on stdout, and 1 with field and offset on stderr", () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "-e", 'const m = await import("./src/cli/main.ts"); process.exitCode = await m.main(process.argv.slice(1));', ...args], {
        encoding: "utf8",
      });
    const ok = cli("decode", "2a19", "64");
    expect([ok.status, JSON.parse(ok.stdout)]).toEqual([0, { driver: "bt-sig.battery-level", readings: [{ vital: "battery_level", value: 100, unit: "%" }], fields: { battery_level: 100 } }]);
    const bad = cli("decode", "2a19", "6400");
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toBe("vitals-gateway decode: bt-sig.battery-level: 1 unexpected trailing byte(s) at offset 1, after field 'battery_level'\n");
  });

  it("decodes a bridge message (Theengs Gateway with publish_advdata) through the gateway's driver", async () => {
    const msg = '{"id":"A0:9E:1A:75:08:73","rssi":-60,"manufacturerdata":"6b003b164446","model_id":"H10","bpm":70}';
    expect(await decode("bridge", msg)).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ device: "a09e1a750873", driver: "polar.h10", readings: [{ vital: "heart_rate", value: 70, unit: "/min" }] });
  });

  it("names the key of a malformed bridge message (exit 1)", async () => {
    expect(await decode("bridge", '{"id":"A0:9E:1A:75:08:73","manufacturerdata":"6b0"}')).toBe(1);
    expect(err).toContain("'manufacturerdata'");
  });
});
