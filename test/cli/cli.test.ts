import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TokenStore } from "../../src/adapters/sqlite/tokenStore.js";
import { runCli } from "../helpers/cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "vg-cli-"));

describe("vitals-gateway CLI", () => {
  it("without a command prints usage and exits 2; an unknown command names itself", async () => {
    expect(await runCli([])).toMatchObject({ code: 2, stdout: expect.stringContaining("usage: vitals-gateway") as string });
    const r = await runCli(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  it("check-config: exit 0 for the example, exit 2 listing every problem with path and line", async () => {
    expect((await runCli(["check-config", "config/gateway.example.yaml"])).code).toBe(0);
    const file = join(tmp(), "bad.yaml");
    writeFileSync(file, "http:\n  port: -1\nmqtt:\n  topicPrefix: 'a b'\nbogus: 1\n");
    const r = await runCli(["check-config", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2: /http/port: must be >= 0`);
    expect(r.stderr).toContain(`${file}:4: /mqtt/topicPrefix: must match pattern`);
    expect(r.stderr).toContain(`${file}:5: /bogus: unknown key`);
    expect(r.stderr).toContain("3 problem(s); nothing applied");
    expect((await runCli(["check-config"])).code).toBe(2);
  });

  it("token create prints a token once, stores only its hash, and refuses an unknown role", async () => {
    const dir = tmp();
    const r = await runCli(["token", "create", "--role", "nurse", "--name", "night shift", "--data-dir", dir]);
    expect(r.code).toBe(0);
    const token = r.stdout.trim();
    expect(token).toMatch(/^vgt_[A-Za-z0-9_-]{43}$/);
    const store = new TokenStore(join(dir, "auth.db"), Date.now);
    expect(store.verifyToken(token)).toMatchObject({ name: "night shift", role: "nurse" });
    store.close();
    const bad = await runCli(["token", "create", "--role", "root", "--data-dir", dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--role must be one of nurse, clinician, viewer, admin");
  });

  it("run names a port that is already taken instead of crashing", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const r = await runCli(["run", "--port", String(port), "--data-dir", tmp()]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`port ${port} on 127.0.0.1 (http.port) is already in use;`);
    } finally {
      server.close();
    }
  });

  it("run exits 2 naming the key when the upstream password file cannot be read", async () => {
    const dir = tmp();
    const file = join(dir, "gw.yaml");
    writeFileSync(file, `http: {port: 0}\nmqtt: {embeddedPort: 0}\nupstream: {url: "mqtt://127.0.0.1:1", gatewayId: gw1, username: gw1, passwordFile: ${join(dir, "missing")}}\n`);
    const r = await runCli(["run", "--config", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("upstream.passwordFile");
  });

  it("run refuses an invalid config with exit 2 and starts nothing", async () => {
    const file = join(tmp(), "bad.yaml");
    writeFileSync(file, "devices: [{id: d1, patient: nobody}]\n");
    const r = await runCli(["run", "--config", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("/devices/0/patient: names patient 'nobody'");
  });
});

describe("vitals-gateway token list / revoke", () => {
  it("lists tokens without secrets and revokes one, which then no longer verifies", async () => {
    const dir = tmp();
    const created = await runCli(["token", "create", "--role", "viewer", "--name", "wall screen", "--data-dir", dir]);
    const token = created.stdout.trim();
    const id = /token (\S+) \(viewer\) created/.exec(created.stderr)?.[1] ?? "";
    const listed = await runCli(["token", "list", "--data-dir", dir]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+viewer\\s+active\\s+\\S+\\s+wall screen$`, "m"));
    expect(listed.stdout).not.toContain(token.slice(4));
    expect((await runCli(["token", "revoke", id, "--data-dir", dir])).code).toBe(0);
    expect((await runCli(["token", "list", "--data-dir", dir])).stdout).toMatch(new RegExp(`^${id}\\s+viewer\\s+revoked`, "m"));
    const store = new TokenStore(join(dir, "auth.db"), Date.now);
    expect(store.verifyToken(token)).toBeUndefined();
    store.close();
    const again = await runCli(["token", "revoke", id, "--data-dir", dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`no active token with id '${id}'`);
  });
});
