/**
 * A real, private dbus-daemon (Debian `dbus`) bound only to a unix socket in a temp dir, for the
 * BLE adapter tests. It runs in the foreground as our child (no --fork), so stop() can kill it by
 * its own pid and nothing outlives the test.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const DBUS_DAEMON = process.env["DBUS_DAEMON"] ?? "/usr/bin/dbus-daemon";

export interface DbusDaemon {
  /** `unix:path=…`, what DBUS_SYSTEM_BUS_ADDRESS would hold. */
  readonly address: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** A session-type bus with an allow-all policy: on it anyone may own org.bluez (research §4.1 B). */
const config = (socket: string): string => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;

export async function startDbusDaemon(): Promise<DbusDaemon> {
  const dir = mkdtempSync(join(tmpdir(), "vg-dbus-"));
  const socket = join(dir, "system_bus.sock");
  const conf = join(dir, "bus.conf");
  writeFileSync(conf, config(socket));
  const child: ChildProcess = spawn(DBUS_DAEMON, [`--config-file=${conf}`, "--nofork", "--nopidfile", "--print-address=1"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const address = await new Promise<string>((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) resolve(line.trim());
    });
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`dbus-daemon exited ${code}: ${err}`)));
  });
  let stopped = false;
  return {
    // The daemon prints `unix:path=…,guid=…`; dbus-next accepts the whole address.
    address,
    pid: child.pid ?? -1,
    stop: async () => {
      if (!stopped) {
        stopped = true;
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
