/**
 * The daemon as systemd runs it (issue 11 item 1): READY=1 on $NOTIFY_SOCKET only once it
 * serves, WATCHDOG=1 pings at a third of WATCHDOG_USEC, and none once the event loop is stalled;
 * one daemon per data dir.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliArgs, runCli } from "../helpers/cli.js";
import { eventually } from "../helpers/gateway.js";
import { listenForNotify, type NotifyListener } from "../helpers/notifySocket.js";

const started: ChildProcess[] = [];
const listeners: NotifyListener[] = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const l of listeners.splice(0)) l.stop();
});

function daemon(dataDir: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, cliArgs(["run", "--port", "0", "--data-dir", dataDir]), { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

describe("under systemd (Type=notify, WatchdogSec)", () => {
  it("says READY=1 once the console serves, pings the watchdog, and stops pinging when the loop stalls", async () => {
    const listener = await listenForNotify();
    listeners.push(listener);
    const dir = join(mkdtempSync(join(tmpdir(), "vg-service-")), "data");
    const { child, output } = daemon(dir, { NOTIFY_SOCKET: listener.path, WATCHDOG_USEC: "1500000", VITALS_GATEWAY_DEBUG_STALL: "1" });
    await eventually(() => expect(listener.messages().some((m) => m.startsWith("READY=1"))).toBe(true), 60_000);
    const url = /console: (\S+)/.exec(output())?.[1] ?? "";
    expect((await fetch(`${url}readyz`)).status).toBe(200); // READY came after the console was up
    expect(listener.messages().find((m) => m.startsWith("READY=1"))).toBe(`READY=1 | STATUS=console ${url}`);
    await eventually(() => expect(listener.messages().filter((m) => m === "WATCHDOG=1").length).toBeGreaterThanOrEqual(3), 30_000);

    child.kill("SIGUSR2");
    await eventually(() => expect(output()).toContain("stalling the event loop on purpose"), 30_000);
    // Pings already handed to systemd-notify may still land; after that, none while stalled.
    await new Promise((r) => setTimeout(r, 3000));
    const settled = listener.messages().length;
    await new Promise((r) => setTimeout(r, 4000)); // > 2 periods of 1.5 s
    expect(listener.messages().slice(settled)).toEqual([]);
    expect(child.exitCode).toBeNull(); // alive but silent: systemd's watchdog now kills and restarts it
  }, 120_000);
});

describe("one daemon per data dir", () => {
  it("a second daemon on the same folder exits 1 in one line naming the folder and the pid", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "vg-service-")), "data");
    const first = daemon(dir, {});
    await eventually(() => expect(first.output()).toMatch(/console: http/), 60_000);
    const second = await runCli(["run", "--port", "0", "--data-dir", dir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(`vitals-gateway run: ${dir}: data directory is in use by another vitals-gateway (pid ${first.child.pid}); stop it first, or give this one another --data-dir\n`);
    first.child.kill("SIGKILL"); // no clean shutdown: the lock must not outlive the process
    await new Promise((r) => first.child.once("exit", r));
    const again = daemon(dir, {});
    await eventually(() => expect(again.output()).toMatch(/console: http/), 60_000);
  }, 120_000);
});
