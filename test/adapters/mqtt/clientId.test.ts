/** The ingest client id is the same at every start (the broker's session lives under it) and differs between data dirs. */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLIENT_ID_FILE, stableClientId } from "../../../src/adapters/mqtt/clientId.js";

const dataDir = () => mkdtempSync(join(tmpdir(), "vg-clientid-"));

describe("stableClientId", () => {
  it("makes one at the first start, keeps it owner-only in the data dir and returns it at every later start", () => {
    const dir = dataDir();
    const first = stableClientId(dir);
    expect(first).toMatch(/^vg-ingest-[0-9a-f]{12}$/);
    expect(first.length).toBeLessThanOrEqual(23); // MQTT 3.1.1 brokers must accept up to 23
    expect(stableClientId(dir)).toBe(first);
    expect(readFileSync(join(dir, CLIENT_ID_FILE), "utf8")).toBe(`${first}\n`);
    expect(statSync(join(dir, CLIENT_ID_FILE)).mode & 0o777).toBe(0o600);
  });

  it("differs between two data dirs (two gateways on one broker must not share a session)", () => {
    expect(stableClientId(dataDir())).not.toBe(stableClientId(dataDir()));
  });

  it("uses the configured id, and replaces a kept file that is not a valid id", () => {
    const dir = dataDir();
    expect(stableClientId(dir, "ward3-bed1")).toBe("ward3-bed1");
    writeFileSync(join(dir, CLIENT_ID_FILE), "bad id with spaces\n");
    expect(stableClientId(dir)).toMatch(/^vg-ingest-/);
  });
});
