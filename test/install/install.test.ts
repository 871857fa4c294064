/**
 * scripts/install.sh into a throwaway root (DESTDIR), then the installed daemon started from
 * there as the service user it created, on the installed starter config (issue 11 item 2).
 * Needs a built dist/ (`npm ci` builds it) and runs as root or not (then no user, no chown).
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packagePath } from "../../src/packageRoot.js";
import { eventually } from "../helpers/gateway.js";

const asRoot = process.getuid?.() === 0;
const root = mkdtempSync(join(tmpdir(), "vg-install-"));
let installOutput = "";
let daemon: ChildProcess | undefined;

beforeAll(async () => {
  chmodSync(root, 0o755); // the service user must reach /opt inside it
  if (asRoot) {
    // A minimal target /etc: useradd --root then writes the service user there, not on this host.
    mkdirSync(join(root, "etc"));
    for (const [file, line] of [["passwd", "root:x:0:0:root:/root:/bin/bash"], ["group", "root:x:0:"], ["shadow", "root:*:20000:0:99999:7:::"], ["gshadow", "root:*::"]] as const) writeFileSync(join(root, "etc", file), `${line}\n`);
  }
  const r = await promisify(execFile)("bash", [packagePath("scripts", "install.sh")], { env: { ...process.env, DESTDIR: root }, maxBuffer: 1 << 24 });
  installOutput = r.stdout + r.stderr;
}, 300_000);

afterAll(async () => {
  if (daemon && daemon.exitCode === null && daemon.signalCode === null) {
    const gone = new Promise((resolve) => daemon!.once("exit", resolve));
    daemon.kill("SIGKILL");
    await gone;
  }
  rmSync(root, { recursive: true, force: true }); // ~300 MB of node_modules
});

const mode = (p: string) => statSync(join(root, p)).mode & 0o777;

describe("scripts/install.sh (DESTDIR)", () => {
  it("lays out the app, the unit, a starter config and a private data dir", () => {
    expect(installOutput).toContain(`staged into ${root}`);
    expect(existsSync(join(root, "opt/vitals-gateway/dist/src/cli/entry.js"))).toBe(true);
    expect(existsSync(join(root, "opt/vitals-gateway/node_modules/better-sqlite3"))).toBe(true);
    expect(existsSync(join(root, "opt/vitals-gateway/node_modules/vitest"))).toBe(false); // production deps only
    expect(lstatSync(join(root, "usr/local/bin/vitals-gateway")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(root, "usr/local/bin/vitals-gateway"))).toBe("/opt/vitals-gateway/bin/vitals-gateway.js");
    expect(readFileSync(join(root, "etc/systemd/system/vitals-gateway.service"), "utf8")).toBe(readFileSync(packagePath("systemd", "vitals-gateway.service"), "utf8"));
    expect([mode("var/lib/vitals-gateway"), mode("etc/vitals-gateway"), mode("etc/vitals-gateway/gateway.yaml"), mode("etc/vitals-gateway/credentials")]).toEqual([0o700, 0o750, 0o640, 0o700]);
    const config = readFileSync(join(root, "etc/vitals-gateway/gateway.yaml"), "utf8");
    expect(config).toMatch(/^dataDir: \/var\/lib\/vitals-gateway$/m); // absolute: never resolved under /etc
    expect(config).not.toMatch(/^upstream:/m); // no link to a broker that does not exist
  });

  it.runIf(asRoot)("creates the service user in the target's passwd and gives it the data dir", () => {
    const line = readFileSync(join(root, "etc/passwd"), "utf8").split("\n").find((l) => l.startsWith("vitals:")) ?? "";
    expect(line).toMatch(/^vitals:x:\d+:\d+::\/var\/lib\/vitals-gateway:\/usr\/sbin\/nologin$/);
    expect(statSync(join(root, "var/lib/vitals-gateway")).uid).toBe(Number(line.split(":")[2]));
    expect(readFileSync(join(root, "etc/group"), "utf8")).toMatch(/^bluetooth:/m);
  });

  it("the installed daemon starts from there, as the service user, on the starter config", async () => {
    const line = readFileSync(join(root, "etc/passwd"), "utf8").split("\n").find((l) => l.startsWith("vitals:"));
    const [uid, gid] = asRoot && line ? line.split(":").slice(2, 4).map(Number) : [undefined, undefined];
    // The config as installed, except the embedded broker's fixed port 1883, which another test or
    // a local mosquitto may hold; --data-dir points at the staged /var/lib.
    const config = join(root, "etc/vitals-gateway/gateway.yaml");
    writeFileSync(`${config}.test`, readFileSync(config, "utf8").replace(/^ {2}embeddedPort: 1883/m, "  embeddedPort: 0"));
    chmodSync(join(root, "etc/vitals-gateway"), 0o755);
    chmodSync(`${config}.test`, 0o644);
    const bin = join(root, "opt/vitals-gateway/bin/vitals-gateway.js");
    daemon = spawn(bin, ["run", "--config", `${config}.test`, "--data-dir", join(root, "var/lib/vitals-gateway"), "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
      cwd: "/",
      ...(uid === undefined ? {} : { uid, gid }),
    });
    let out = "";
    daemon.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    daemon.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    await eventually(() => expect(out).toMatch(/console: http:\/\/127\.0\.0\.1:\d+\//), 90_000);
    const url = /console: (\S+)/.exec(out)?.[1] ?? "";
    await eventually(async () => expect((await fetch(`${url}readyz`)).status).toBe(200), 30_000);
    expect(statSync(join(root, "var/lib/vitals-gateway/alarms.db")).mode & 0o777).toBe(0o600);
    if (uid !== undefined) expect(statSync(join(root, "var/lib/vitals-gateway/alarms.db")).uid).toBe(uid);
  }, 120_000);
});
