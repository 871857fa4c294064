/**
 * A real, private dbus-daemon (Debian `dbus`) bound only to a unix socket in a temp dir, for the
 * BLE adapter tests. It runs in the foreground as our child (no --fork), so stop() can kill it by
 * its own pid and nothing outlives the test. kill() + restart() play a dbus-daemon crash and
 * systemd starting it again on the same address.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const DBUS_DAEMON = process.env["DBUS_DAEMON"] ?? "/usr/bin/dbus-daemon";

export interface DbusDaemon {
  /** `unix:path=…`, what DBUS_SYSTEM_BUS_ADDRESS would hold; the same across restart(). */
  readonly address: string;
  /** The current daemon's pid. */
  readonly pid: number;
  /** SIGKILL, as a crash: every client's socket closes with no goodbye. */
  kill(): Promise<void>;
  /** A new daemon on the same socket path (after kill()). */
  restart(): Promise<void>;
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

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  readonly address: string;
}

async function launch(conf: string): Promise<Running> {
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
  return { child, exited, address };
}

async function end(r: Running, signal: NodeJS.Signals): Promise<void> {
  if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill(signal);
  await r.exited;
}

export async function startDbusDaemon(): Promise<DbusDaemon> {
  const dir = mkdtempSync(join(tmpdir(), "vg-dbus-"));
  const socket = join(dir, "system_bus.sock");
  const conf = join(dir, "bus.conf");
  writeFileSync(conf, config(socket));
  let current = await launch(conf);
  // The daemon prints `unix:path=…,guid=…`; the guid changes on restart, so hand out the path only
  // (as DBUS_SYSTEM_BUS_ADDRESS does on a real system).
  const address = `unix:path=${socket}`;
  let stopped = false;
  return {
    address,
    get pid() {
      return current.child.pid ?? -1;
    },
    kill: () => end(current, "SIGKILL"),
    restart: async () => {
      await end(current, "SIGKILL");
      rmSync(socket, { force: true }); // a killed daemon leaves its socket file behind
      current = await launch(conf);
    },
    stop: async () => {
      if (!stopped) {
        stopped = true;
        await end(current, "SIGTERM");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
