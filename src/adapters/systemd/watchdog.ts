/**
 * Feeds the systemd watchdog (`WatchdogSec=`) from the gateway's own health. A ping is sent from
 * a timer on the event loop, so a stalled loop (a runaway computation, a blocking call) stops the
 * pings by itself and systemd restarts the daemon after WatchdogSec. A ping is also withheld
 * while the databases do not answer or the pipeline's subscriptions have died: a restart is the
 * fix for both. An unreachable MQTT broker is NOT a reason: restarting would not bring it back
 * and would drop the nurses' sessions; it is a technical alarm instead.
 */
import type { Logger } from "../../ports/logger.js";
import type { ServiceNotifier } from "./notify.js";

export interface Watchdog {
  stop(): void;
}

/** Pings at a third of the period: two may be late or lost before systemd acts. */
export function feedWatchdog(notifier: ServiceNotifier, healthy: () => boolean, log: Logger): Watchdog {
  const period = notifier.watchdogMs;
  if (period === undefined) return { stop: () => undefined };
  let withheld = false;
  const timer = setInterval(() => {
    if (healthy()) {
      withheld = false;
      notifier.send("WATCHDOG=1");
      return;
    }
    if (!withheld) log.log("error", "pipeline or database unhealthy: withholding the watchdog ping, systemd will restart the daemon", { code: "watchdog_withheld" });
    withheld = true;
  }, Math.max(100, Math.floor(period / 3)));
  return { stop: () => clearInterval(timer) };
}

/**
 * For the watchdog test only: with VITALS_GATEWAY_DEBUG_STALL=1, SIGUSR2 blocks the event loop
 * for good (the daemon then only dies by SIGKILL, as systemd's watchdog does). Inert otherwise.
 */
export function stallOnSignalForTests(log: Logger, env: NodeJS.ProcessEnv = process.env): void {
  if (env["VITALS_GATEWAY_DEBUG_STALL"] !== "1") return;
  process.on("SIGUSR2", () => {
    log.log("warn", "stalling the event loop on purpose (VITALS_GATEWAY_DEBUG_STALL)", { code: "debug_stall" });
    for (;;);
  });
}
