/**
 * The alarm state machine of DESIGN §5 in IEC 60601-1-8 vocabulary (research/reliability-…md §1.1,
 * ALM-3…ALM-5). Pure: status and input in, status and effects out; times are monotonic ms.
 *
 *   active ──ack──► acknowledged ──condition ends──► resolved
 *     │ ▲  └──audio/alarm pause──► *_paused(until) ──until, condition persists──► active (re-announced)
 *     │ └────── worsened (higher priority breaks through any pause or ack) ◄──┘
 *     └──condition ends──► resolved, unless latching: stays active until ack (conditionActive=false)
 */
import type { AlertPriority, AlertState } from "../model.js";

export interface AlarmStatus {
  readonly state: AlertState;
  readonly priority: AlertPriority;
  /** Latching alarms stay after their condition ends until acknowledged. */
  readonly latching: boolean;
  readonly conditionActive: boolean;
  /** Monotonic end of a pause. */
  readonly until?: number;
  /** Monotonic time the alarm was last announced (raise, worsening, pause expiry): T1/T2 start here. */
  readonly announcedAt: number;
  readonly escalation: 0 | 1 | 2;
}

export const ALARM_INPUTS = ["condition", "worsen", "downgrade", "ack", "audio_pause", "alarm_pause", "tick"] as const;
export type AlarmInput =
  | { readonly type: "condition"; readonly present: boolean }
  /** `latching`: whether the new priority latches (a medium alarm that worsens to high latches). */
  | { readonly type: "worsen"; readonly priority: AlertPriority; readonly latching: boolean; readonly now: number }
  | { readonly type: "downgrade"; readonly priority: AlertPriority }
  | { readonly type: "ack" }
  | { readonly type: "audio_pause"; readonly until: number }
  | { readonly type: "alarm_pause"; readonly until: number }
  | { readonly type: "tick"; readonly now: number; readonly t1Ms: number; readonly t2Ms: number };

export const ALARM_EFFECTS = ["changed", "announce", "escalate1", "escalate2", "resolved", "ignored"] as const;
export type AlarmEffect = (typeof ALARM_EFFECTS)[number];

export interface Step {
  readonly status: AlarmStatus;
  readonly effects: readonly AlarmEffect[];
}

const isPaused = (s: AlertState): boolean => s === "audio_paused" || s === "alarm_paused";

/** A copy without the pause end (exactOptionalPropertyTypes: absent, not undefined). */
export function withoutUntil<T extends { readonly until?: number }>(s: T): Omit<T, "until"> {
  const copy: { until?: number } = { ...s };
  delete copy.until;
  return copy as Omit<T, "until">;
}

function announce(s: AlarmStatus, now: number, priority = s.priority): AlarmStatus {
  return { ...withoutUntil(s), priority, state: "active", announcedAt: now, escalation: 0 };
}

export function step(s: AlarmStatus, input: AlarmInput): Step {
  if (s.state === "resolved") return { status: s, effects: ["ignored"] };
  switch (input.type) {
    case "condition": {
      if (input.present) return s.conditionActive ? { status: s, effects: [] } : { status: { ...s, conditionActive: true }, effects: ["changed"] };
      if (!s.conditionActive) return { status: s, effects: [] };
      // ALM-3: a latching alarm continues until deliberate operator action (IEC 60601-1-8 3.x "latching").
      if (s.latching && s.state !== "acknowledged") return { status: { ...s, conditionActive: false }, effects: ["changed"] };
      return { status: { ...s, conditionActive: false, state: "resolved" }, effects: ["resolved"] };
    }
    case "worsen":
      // A higher priority is a new announcement: it breaks through acknowledgement and pauses (ALM-4).
      return { status: { ...announce(s, input.now, input.priority), conditionActive: true, latching: s.latching || input.latching }, effects: ["announce"] };
    case "downgrade":
      // A latched, unacknowledged alarm keeps the priority it latched at.
      if (s.latching && s.state !== "acknowledged") return { status: s, effects: [] };
      return { status: { ...s, priority: input.priority }, effects: ["changed"] };
    case "ack": {
      if (!s.conditionActive) return { status: { ...s, state: "resolved" }, effects: ["resolved"] };
      return { status: { ...withoutUntil(s), state: "acknowledged" }, effects: ["changed"] };
    }
    case "audio_pause":
    case "alarm_pause":
      if (s.state === "acknowledged") return { status: s, effects: ["ignored"] };
      return { status: { ...s, state: input.type === "audio_pause" ? "audio_paused" : "alarm_paused", until: input.until }, effects: ["changed"] };
    case "tick":
      return tick(s, input.now, input.t1Ms, input.t2Ms);
    default:
      return input satisfies never;
  }
}

function tick(s: AlarmStatus, now: number, t1Ms: number, t2Ms: number): Step {
  if (isPaused(s.state) && s.until !== undefined && now >= s.until) {
    // Pause expired: re-announce if the condition persists or the alarm is latched (ALM-4).
    if (s.conditionActive || s.latching) return { status: announce(s, now), effects: ["announce"] };
    return { status: { ...s, state: "resolved" }, effects: ["resolved"] };
  }
  if (s.state !== "active" || s.priority !== "high") return { status: s, effects: [] };
  // ALM-5: escalation of an unacknowledged high alarm after T1 and again after T2.
  const effects: AlarmEffect[] = [];
  let escalation = s.escalation;
  if (escalation < 1 && now - s.announcedAt >= t1Ms) {
    escalation = 1;
    effects.push("escalate1");
  }
  if (escalation < 2 && now - s.announcedAt >= t2Ms) {
    escalation = 2;
    effects.push("escalate2");
  }
  return effects.length === 0 ? { status: s, effects } : { status: { ...s, escalation }, effects };
}
