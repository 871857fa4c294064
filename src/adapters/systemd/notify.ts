/**
 * sd_notify for `Type=notify` units (systemd.service(5)): READY, STATUS, STOPPING and watchdog
 * pings on $NOTIFY_SOCKET. Node cannot send on a unix datagram socket, and a native module would
 * not install offline on a Pi, so each message goes through Debian's `systemd-notify`; the unit
 * sets `NotifyAccess=all` so messages from that child count. systemd-notify (252+) waits until
 * PID 1 has processed the message (a BARRIER), so its short life does not lose attribution.
 * Without $NOTIFY_SOCKET (a shell, a test) every call is a no-op.
 */
import { execFile } from "node:child_process";
import type { Logger } from "../../ports/logger.js";

export interface ServiceNotifier {
  /** Whether systemd asked for notifications at all. */
  readonly active: boolean;
  /** Watchdog period systemd expects pings within (WATCHDOG_USEC), if it enabled one for us. */
  readonly watchdogMs: number | undefined;
  send(...assignments: string[]): void;
}

export function systemdNotifier(log: Logger, env: NodeJS.ProcessEnv = process.env, binary = env["SYSTEMD_NOTIFY"] ?? "systemd-notify"): ServiceNotifier {
  const socket = env["NOTIFY_SOCKET"];
  if (socket === undefined || socket === "") return { active: false, watchdogMs: undefined, send: () => undefined };
  let warned = false;
  return {
    active: true,
    watchdogMs: watchdogMsOf(env),
    send(...assignments) {
      execFile(binary, assignments, { env: { ...env, NOTIFY_SOCKET: socket }, timeout: 10_000 }, (error) => {
        if (error && !warned) {
          warned = true; // once: systemd then restarts us by its start/watchdog timeout, and says so
          log.log("error", `cannot notify systemd through ${binary}: ${error.message.split("\n")[0]}`, { code: "sd_notify_failed" });
        }
      });
    },
  };
}

/** sd_watchdog_enabled(3): WATCHDOG_USEC, and WATCHDOG_PID (if set) must be us. */
export function watchdogMsOf(env: NodeJS.ProcessEnv, pid = process.pid): number | undefined {
  const usec = Number(env["WATCHDOG_USEC"]);
  if (!Number.isFinite(usec) || usec <= 0) return undefined;
  const forPid = env["WATCHDOG_PID"];
  if (forPid !== undefined && forPid !== "" && Number(forPid) !== pid) return undefined;
  return usec / 1000;
}
