/**
 * Wrong tokens at POST /login (and wrong login codes) are throttled per client address: the first
 * FREE_FAILURES cost nothing (a nurse mistypes), then each further failure blocks that address for
 * twice as long as the one before (1 s, 2 s, 4 s … up to MAX_BLOCK_MS). While blocked, no token is
 * even looked at, so guessing gets no answers. A success forgets the address. Failures are
 * counted in metrics and logged at a bounded rate, never with the token.
 */
import type { Logger } from "../../ports/logger.js";
import type { Metrics } from "./metrics.js";

export const FREE_FAILURES = 5;
export const MAX_BLOCK_MS = 15 * 60_000;
/** Log lines about login failures per minute; past it, one line with the count of the others. */
export const LOG_LINES_PER_MINUTE = 10;
/** Addresses remembered at once: a flood from many addresses cannot grow memory without bound. */
const MAX_ADDRESSES = 10_000;
const FORGET_AFTER_MS = 60 * 60_000;

interface Record {
  failures: number;
  blockedUntil: number;
  lastFailure: number;
}

export class LoginThrottle {
  private readonly byAddress = new Map<string, Record>();
  private windowStart = Number.NEGATIVE_INFINITY;
  private linesInWindow = 0;
  private suppressed = 0;

  constructor(private readonly metrics: Metrics, private readonly log: Logger | undefined, private readonly now: () => number) {}

  /** Milliseconds this address must wait before it may try again; 0 if it may try now. */
  retryAfterMs(address: string): number {
    const r = this.byAddress.get(address);
    const wait = r === undefined ? 0 : Math.max(0, r.blockedUntil - this.now());
    if (wait > 0) {
      this.metrics.loginFailures.inc({ reason: "throttled" });
      this.note(address, "throttled", r?.failures ?? 0);
    }
    return wait;
  }

  failed(address: string, reason: "bad_token" | "bad_code"): void {
    const now = this.now();
    const r = this.byAddress.get(address) ?? { failures: 0, blockedUntil: 0, lastFailure: now };
    this.byAddress.delete(address); // re-inserted last: the map's order is least recently failed first
    r.failures++;
    r.lastFailure = now;
    if (r.failures > FREE_FAILURES) r.blockedUntil = now + Math.min(MAX_BLOCK_MS, 1000 * 2 ** (r.failures - FREE_FAILURES - 1));
    this.byAddress.set(address, r);
    this.forgetOld(now);
    this.metrics.loginFailures.inc({ reason });
    this.note(address, reason, r.failures);
  }

  succeeded(address: string): void {
    this.byAddress.delete(address);
  }

  private forgetOld(now: number): void {
    for (const [address, r] of this.byAddress) {
      if (this.byAddress.size <= MAX_ADDRESSES && now - r.lastFailure < FORGET_AFTER_MS) break;
      this.byAddress.delete(address);
    }
  }

  private note(address: string, reason: string, failures: number): void {
    const now = this.now();
    if (now - this.windowStart >= 60_000) {
      if (this.suppressed > 0) this.log?.log("warn", "login failures not logged in the last minute", { count: this.suppressed });
      this.windowStart = now;
      this.linesInWindow = 0;
      this.suppressed = 0;
    }
    if (this.linesInWindow >= LOG_LINES_PER_MINUTE) {
      this.suppressed++;
      return;
    }
    this.linesInWindow++;
    this.log?.log("warn", "login refused", { reason, client: address, failures });
  }
}
