/**
 * Bad input is logged at a bounded rate: a misbehaving bridge must not fill the disk that
 * alarms.db lives on. Per key (the error code), the first `perWindow` lines of each window go
 * out; the rest are counted, and one line says how many were left out once the window ends.
 * Counting in /metrics stays exact: callers count before they log.
 */
import type { Logger, LogLevel } from "../../ports/logger.js";

export interface RateLimitOptions {
  /** Lines per key and window before suppression. */
  readonly perWindow?: number;
  readonly windowMs?: number;
  readonly now?: () => number;
}

type Fields = Readonly<Record<string, string | number | boolean | undefined>>;

interface Window {
  start: number;
  logged: number;
  suppressed: number;
}

export interface RateLimitedLog {
  log(key: string, level: LogLevel, msg: string, fields?: Fields): void;
  /** Writes the summary of every window that has ended with lines left out (a timer calls it too). */
  flush(): void;
}

export function rateLimitedLog(log: Logger, options: RateLimitOptions = {}): RateLimitedLog {
  const perWindow = options.perWindow ?? 10;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const windows = new Map<string, Window>();
  let timer: NodeJS.Timeout | undefined;

  const summarise = (key: string, w: Window) => {
    if (w.suppressed > 0) log.log("warn", `${w.suppressed} more '${key}' lines left out in ${Math.round(windowMs / 1000)} s (all counted in /metrics)`, { code: key, suppressed: w.suppressed });
  };
  const flush = () => {
    const t = now();
    for (const [key, w] of windows) {
      if (t - w.start < windowMs) continue;
      summarise(key, w);
      windows.delete(key);
    }
    const waiting = [...windows.values()].some((w) => w.suppressed > 0);
    if (!waiting && timer !== undefined) timer = void clearInterval(timer);
  };
  return {
    log(key, level, msg, fields) {
      const t = now();
      let w = windows.get(key);
      if (w !== undefined && t - w.start >= windowMs) {
        summarise(key, w);
        w = undefined;
      }
      if (w === undefined) windows.set(key, (w = { start: t, logged: 0, suppressed: 0 }));
      if (w.logged < perWindow) {
        w.logged++;
        log.log(level, msg, fields);
        return;
      }
      w.suppressed++;
      // Only while something waits for its summary, and never keeping the process alive.
      timer ??= setInterval(flush, windowMs).unref();
    },
    flush,
  };
}
