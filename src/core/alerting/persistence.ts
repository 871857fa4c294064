/**
 * Persistence in time (IEC 60601-1-8 "alarm condition delay"): a condition alarms at a priority
 * only after it has held at or above that priority for raiseMs, and clears (or steps down) only
 * after it has been below the open priority, with data to prove it, for clearMs.
 */
import type { AlertPriority } from "../model.js";
import { ALERT_PRIORITIES } from "../model.js";
import { PRIORITY_RANK } from "./config.js";
import type { ConditionSample } from "./conditions.js";

export interface Persist {
  /** Per priority: since when (monotonic) the condition has been continuously at or above it. */
  readonly since: Readonly<Partial<Record<AlertPriority, number>>>;
  /** Since when it has been below the open priority (with data): for clearing. */
  readonly belowSince?: number;
}

export interface Timing {
  readonly raiseMs: (p: AlertPriority) => number;
  readonly clearMs: number;
}

export const TARGETS = ["none", "raise", "worsen", "downgrade", "clear"] as const;
export type Target =
  | { readonly type: "none" }
  | { readonly type: "raise" | "worsen" | "downgrade"; readonly priority: AlertPriority }
  | { readonly type: "clear" };

export function persisted(p: Persist, now: number, timing: Timing): AlertPriority | null {
  for (const pr of ALERT_PRIORITIES) {
    const s = p.since[pr]; // ALERT_PRIORITIES is ordered high → low
    if (s !== undefined && now - s >= timing.raiseMs(pr)) return pr;
  }
  return null;
}

export function advance(p: Persist, sample: ConditionSample, open: AlertPriority | undefined, now: number, timing: Timing): { persist: Persist; target: Target } {
  const since: Partial<Record<AlertPriority, number>> = {};
  if (sample.priority !== null) {
    for (const pr of ALERT_PRIORITIES) if (PRIORITY_RANK[pr] <= PRIORITY_RANK[sample.priority]) since[pr] = p.since[pr] ?? now;
  } else if (!sample.canClear) {
    Object.assign(since, p.since); // no data: neither progress nor reset
  }
  const level = persisted({ since }, now, timing);
  if (open === undefined) {
    return { persist: { since }, target: level === null ? { type: "none" } : { type: "raise", priority: level } };
  }
  if (level !== null && PRIORITY_RANK[level] > PRIORITY_RANK[open]) return { persist: { since }, target: { type: "worsen", priority: level } };
  const below = sample.canClear && (sample.priority === null || PRIORITY_RANK[sample.priority] < PRIORITY_RANK[open]);
  if (!below) return { persist: { since }, target: { type: "none" } };
  const belowSince = p.belowSince ?? now;
  if (now - belowSince < timing.clearMs) return { persist: { since, belowSince }, target: { type: "none" } };
  const target: Target = sample.priority === null ? { type: "clear" } : { type: "downgrade", priority: sample.priority };
  return { persist: { since }, target };
}
