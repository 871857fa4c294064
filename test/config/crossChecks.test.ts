import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveUpstream } from "../../src/adapters/upstream/config.js";
import { loadConfigText } from "../../src/config/load.js";

const readable = () => undefined;
const problems = (yaml: string, secretFiles?: () => undefined) => {
  const r = loadConfigText(yaml, "/tmp", secretFiles);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
};
const UPSTREAM = "upstream:\n  url: mqtts://central.example:8883\n  gatewayId: ward3\n";

describe("checks beyond the schema, in the loader's one pass", () => {
  it("refuses a secret file the daemon could not read, before anything starts", () => {
    const dir = mkdtempSync(join(tmpdir(), "vg-secrets-"));
    const good = join(dir, "pw");
    writeFileSync(good, "s3cret\n");
    const empty = join(dir, "empty");
    writeFileSync(empty, "\n");
    const missing = join(dir, "missing");
    const yaml = `mqtt: { url: "mqtt://broker.local:1883", username: hub, passwordFile: ${empty} }\n${UPSTREAM}  username: gw\n  passwordFile: ${good}\n  caFile: ${missing}\n`;
    expect(problems(yaml)).toEqual([`/mqtt/passwordFile: cannot read ${empty} as this user (empty)`, `/upstream/caFile: cannot read ${missing} as this user (ENOENT)`]);
    if (process.getuid?.() !== 0) {
      chmodSync(good, 0o000); // root reads it anyway
      expect(problems(yaml)).toContain(`/upstream/passwordFile: cannot read ${good} as this user (EACCES)`);
    }
  });

  it("refuses what upstream's resolveUpstream would refuse at start, naming the key and line", () => {
    const cases: [string, string][] = [
      [`${UPSTREAM}  passwordFile: /dev/null\n`, "/upstream/username: required with passwordFile"],
      [`${UPSTREAM}  certFile: /dev/null\n`, "/upstream/keyFile: certFile and keyFile go together"],
      ["upstream: { url: 'mqtt://[::1', gatewayId: g }\n", "/upstream/url: 'mqtt://[::1' is not a URL with a host (expected mqtt://host:port or mqtts://host:port)"],
    ];
    for (const [yaml, problem] of cases) expect(problems(yaml, readable), yaml).toEqual([problem]);
    const r = loadConfigText(`${UPSTREAM}  passwordFile: /dev/null\n`, "/tmp", readable);
    expect(r.ok ? undefined : r.problems[0]?.line).toBe(2); // the block that lacks `username` (its first line)
    // Everything the loader accepts, the adapter accepts: it cannot fail at start any more.
    const ok = loadConfigText(`${UPSTREAM}  username: gw\n  topicPrefix: site/ward3\n`, "/tmp");
    if (!ok.ok) throw new Error(JSON.stringify(ok.problems));
    expect(() => resolveUpstream(ok.config.upstream!)).not.toThrow();
  });

  it("refuses a BLE address listed twice (in either case) and characteristics on an advertisement device", () => {
    const yaml = "ble:\n  devices:\n    - { address: 'AA:BB:CC:DD:EE:01' }\n    - { address: 'aa:bb:cc:dd:ee:01' }\n    - { address: 'AA:BB:CC:DD:EE:02', mode: advertisement, characteristics: ['2a37'] }\n";
    expect(problems(yaml)).toEqual(["/ble/devices/1/address: aa:bb:cc:dd:ee:01 is listed twice", "/ble/devices/2/characteristics: characteristics apply to mode gatt only"]);
  });

  it("says so when the file is not a mapping at all", () => {
    expect(problems("- a\n- b\n")).toEqual([": must be a mapping of keys (http:, mqtt:, …)"]);
  });
});
