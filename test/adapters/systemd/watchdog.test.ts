/** The watchdog feeder and WATCHDOG_USEC parsing, in fake time (the real socket: test/cli/service.test.ts). */
import { afterEach, describe, expect, it, vi } from "vitest";
import { watchdogMsOf, type ServiceNotifier } from "../../../src/adapters/systemd/notify.js";
import { feedWatchdog } from "../../../src/adapters/systemd/watchdog.js";
import type { Logger } from "../../../src/ports/logger.js";

const logs: string[] = [];
const log: Logger = { log: (_, msg) => logs.push(msg), child: () => log };
const notifier = (sent: string[], watchdogMs: number | undefined): ServiceNotifier => ({ active: true, watchdogMs, send: (...a) => sent.push(a.join(" ")) });

afterEach(() => {
  vi.useRealTimers();
  logs.length = 0;
});

describe("feedWatchdog", () => {
  it("pings every third of the period while healthy, withholds (logging once) while not, and resumes", () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    let healthy = true;
    const dog = feedWatchdog(notifier(sent, 3000), () => healthy, log);
    vi.advanceTimersByTime(3000);
    expect(sent).toEqual(["WATCHDOG=1", "WATCHDOG=1", "WATCHDOG=1"]);
    healthy = false;
    vi.advanceTimersByTime(6000);
    expect(sent).toHaveLength(3);
    expect(logs).toEqual(["pipeline or database unhealthy: withholding the watchdog ping, systemd will restart the daemon"]);
    healthy = true;
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(4);
    dog.stop();
    vi.advanceTimersByTime(10_000);
    expect(sent).toHaveLength(4);
  });

  it("does nothing when systemd enabled no watchdog", () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    feedWatchdog(notifier(sent, undefined), () => true, log);
    vi.advanceTimersByTime(60_000);
    expect(sent).toEqual([]);
  });
});

describe("watchdogMsOf (sd_watchdog_enabled)", () => {
  it("reads WATCHDOG_USEC, only for the pid WATCHDOG_PID names", () => {
    expect(watchdogMsOf({ WATCHDOG_USEC: "30000000" }, 42)).toBe(30_000);
    expect(watchdogMsOf({ WATCHDOG_USEC: "30000000", WATCHDOG_PID: "42" }, 42)).toBe(30_000);
    expect(watchdogMsOf({ WATCHDOG_USEC: "30000000", WATCHDOG_PID: "41" }, 42)).toBeUndefined();
    expect(watchdogMsOf({}, 42)).toBeUndefined();
    expect(watchdogMsOf({ WATCHDOG_USEC: "0" }, 42)).toBeUndefined();
  });
});
