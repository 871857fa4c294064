/**
 * systemd/vitals-gateway.service: exposure ≤ 2.0 by `systemd-analyze security --offline=true`
 * (Debian's systemd package; .ci/run installs it, this test installs nothing), and the settings
 * the daemon's promises rest on.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { packagePath } from "../../src/packageRoot.js";

const UNIT = packagePath("systemd", "vitals-gateway.service");
const settings = (key: string) =>
  readFileSync(UNIT, "utf8")
    .split("\n")
    .filter((l) => l.startsWith(`${key}=`))
    .map((l) => l.slice(key.length + 1));

describe("systemd unit", () => {
  it("has an exposure level of at most 2.0 (systemd-analyze security --offline=true)", () => {
    const out = execFileSync("systemd-analyze", ["security", "--offline=true", "--no-pager", UNIT], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const level = Number(/Overall exposure level for vitals-gateway\.service: (\d+\.\d)/.exec(out)?.[1]);
    expect(level).toBeGreaterThan(0);
    expect(level).toBeLessThanOrEqual(2.0);
  });

  it("is Type=notify with a watchdog, restarts on failure, checks the config first, keeps V8's JIT", () => {
    expect(settings("Type")).toEqual(["notify"]);
    expect(settings("NotifyAccess")).toEqual(["all"]); // the notifications come from systemd-notify, a child
    expect(Number(settings("WatchdogSec")[0])).toBeGreaterThan(0);
    expect(settings("Restart")).toEqual(["on-failure"]);
    expect(settings("ExecStartPre")[0]).toMatch(/ check-config \/etc\/vitals-gateway\/gateway\.yaml$/);
    expect(settings("MemoryDenyWriteExecute")).toEqual(["no"]);
    expect(settings("LoadCredential")).toEqual(["vg:/etc/vitals-gateway/credentials"]);
    expect(settings("StateDirectoryMode")).toEqual(["0700"]);
  });
});
