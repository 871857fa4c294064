/**
 * Start-up as a new user meets it (issue 11 item 3): --version, --help per command,
 * --print-config with secrets redacted, and a busy port refused before any heavy work.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { redact } from "../../src/cli/printConfig.js";
import { runCli } from "../helpers/cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "vg-startup-"));

describe("version and help", () => {
  it("--version and `version` print the release, node and schema versions", async () => {
    for (const args of [["--version"], ["version"]]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^vitals-gateway \d+\.\d+\.\d+ \(node \d+\.\d+\.\d+; database schemas: alarms\.db v1, readings\.db v1, auth\.db v1, upstream\.db v1\)\n$/);
    }
  });

  it.each([["run", /--print-config/], ["migrate", /--data-dir DIR/], ["check-config", /check-config FILE/], ["audit", /audit verify/]])("%s --help prints its usage, exit 0", async (command, usage) => {
    const r = await runCli([command, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(usage);
  });
});

describe("run --print-config", () => {
  it("prints the effective config as JSON (defaults, resolved paths, flags) and starts nothing", async () => {
    const dir = tmp();
    const file = join(dir, "gateway.yaml");
    writeFileSync(file, "dataDir: ./data\nmqtt: {url: 'mqtts://broker.local:8883', username: hub-3, passwordFile: /run/credentials/x/vg_mqtt}\n");
    const r = await runCli(["run", "--config", file, "--port", "9999", "--print-config"]);
    expect(r.code).toBe(0);
    const config = JSON.parse(r.stdout) as { dataDir: string; http: { port: number }; mqtt: Record<string, string>; storage: { retentionDays: number } };
    expect(config.dataDir).toBe(join(dir, "data"));
    expect(config.http.port).toBe(9999);
    expect(config.storage.retentionDays).toBe(30);
    expect(config.mqtt).toMatchObject({ url: "mqtts://broker.local:8883", username: "hub-3", passwordFile: "/run/credentials/x/vg_mqtt" });
    expect(existsSync(join(dir, "data"))).toBe(false);
  });

  it("redacts a password in a URL (the loader refuses one; this is the second line of defence)", () => {
    expect(redact({ mqtt: { url: "mqtts://hub:s3cr3t@broker.local:8883" } })).toEqual({ mqtt: { url: "mqtts://hub:<redacted>@broker.local:8883" } });
  });

  it("redacts values under secret-looking keys at any depth", () => {
    expect(redact({ a: { password: "p", apiToken: "t", passwordFile: "/f" }, list: [{ secret: 1 }] })).toEqual({ a: { password: "<redacted>", apiToken: "<redacted>", passwordFile: "/f" }, list: [{ secret: "<redacted>" }] });
  });
});

describe("a busy port", () => {
  it("is one line naming the port, the key and the fix, before the data dir is touched", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const data = join(tmp(), "data");
      const r = await runCli(["run", "--port", String(port), "--data-dir", data]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`vitals-gateway run: port ${port} on 127.0.0.1 (http.port) is already in use; stop what holds it (ss -ltnp 'sport = :${port}'), or set http.port or --port N (0 picks a free one)\n`);
      expect(existsSync(data)).toBe(false); // refused before the databases, the broker and the model
    } finally {
      holder.close();
    }
  });
});
