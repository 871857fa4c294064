/**
 * A private dbus-daemon on a fixed socket path that can be killed and started again at the same
 * address (a D-Bus restart as the gateway sees it). Same allow-all policy as test/helpers/dbusDaemon.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DBUS_DAEMON } from "../../helpers/dbusDaemon.js";
import { own } from "./owned.js";

export interface RestartableBus {
  /** `unix:path=…`, stable across restarts. */
  readonly address: string;
  start(): Promise<void>;
  kill(): Promise<void>;
}

export function restartableBus(): RestartableBus {
  const dir = mkdtempSync(join(tmpdir(), "vg-faults-dbus-"));
  const socket = join(dir, "system_bus.sock");
  const conf = join(dir, "bus.conf");
  writeFileSync(
    conf,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=${socket}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>\n`,
  );
  let child: ChildProcess | undefined;
  return {
    address: `unix:path=${socket}`,
    async start() {
      rmSync(socket, { force: true });
      const c = own(spawn(DBUS_DAEMON, [`--config-file=${conf}`, "--nofork", "--nopidfile", "--print-address=1"], { stdio: ["ignore", "pipe", "ignore"] }));
      child = c;
      await new Promise<void>((resolve, reject) => {
        c.stdout?.once("data", () => resolve()); // printed once it listens
        c.once("exit", (code) => reject(new Error(`dbus-daemon exited ${code}`)));
      });
    },
    async kill() {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const gone = new Promise((resolve) => c.once("exit", resolve));
      c.kill("SIGKILL");
      await gone;
    },
  };
}
