/**
 * The alert manager for one patient (research/anomaly-detection.md §7.4, IHE ACM "alert manager"):
 * one open alert per cause, worsening re-alerts, rate limits with every suppression audited, and
 * the state machine (../alarms/stateMachine.ts) driven by conditions, operators and time.
 */
import { step, withoutUntil, type AlarmEffect, type AlarmInput, type AlarmStatus } from "../alarms/stateMachine.js";
import type { Alert, AlertPriority, AlertState } from "../model.js";
import { PRIORITY_RANK, type AlertingConfig } from "./config.js";
import type { ConditionSample } from "./conditions.js";
import type { Actor, AlertEvent, AuditEntry, AuditType } from "./events.js";
import type { Target } from "./persistence.js";

interface Open {
  alert: Alert;
  status: AlarmStatus;
}

export interface PatientPause {
  readonly kind: "audio_pause" | "alarm_pause";
  readonly until: number;
  /** New alarms up to this priority are raised paused; higher ones break through (ALM-4). */
  readonly ceiling: AlertPriority;
}

export interface ManagerDeps {
  readonly patientId: string;
  readonly config: AlertingConfig;
  readonly wall: () => number;
  readonly newId: () => string;
}

/** How many resolved alerts per patient a late action is still told "already_resolved" about. */
export const RESOLVED_IDS_KEPT = 64;

export class AlertManager {
  private readonly open = new Map<string, Open>();
  private readonly byId = new Map<string, string>();
  /** Resolved alerts' ids, oldest first: byId keeps only the last RESOLVED_IDS_KEPT of them. */
  private readonly resolvedIds: string[] = [];
  private readonly lastResolved = new Map<string, { at: number; priority: AlertPriority }>();
  private readonly suppressed = new Set<string>();
  private pause: PatientPause | undefined;

  constructor(private readonly d: ManagerDeps) {}

  active(cause: string): Alert | undefined {
    return this.open.get(cause)?.alert;
  }

  openAlerts(): Alert[] {
    return [...this.open.values()].map((o) => o.alert);
  }

  findCause(alertId: string): string | undefined {
    return this.byId.get(alertId);
  }

  /**
   * Takes back an alert that was open before a restart (from the outbox). Monotonic time restarts
   * with the process, so pauses end now (re-announced: the safe side) and T1/T2 count from now.
   */
  restore(alert: Alert, now: number): AlertEvent[] {
    if (alert.patientId !== this.d.patientId || alert.state === "resolved" || this.open.has(alert.cause)) return [];
    const paused = alert.state === "audio_paused" || alert.state === "alarm_paused";
    const state: AlertState = paused ? "active" : alert.state;
    const conditionActive = alert.conditionActive ?? true;
    const latching = alert.kind === "physiological" && (this.d.config.latching.includes(alert.priority) || !conditionActive);
    const status: AlarmStatus = { state, priority: alert.priority, latching, conditionActive, announcedAt: now, escalation: alert.escalation ?? 0 };
    const restored: Alert = { ...withoutUntil(alert), state, updatedAt: this.d.wall() };
    this.open.set(alert.cause, { alert: restored, status });
    this.byId.set(alert.id, alert.cause);
    const audit = this.audit("alert_updated", { cause: alert.cause, from: alert.state, to: state, priority: alert.priority, reason: "restored_after_restart" }, alert.id);
    return [{ type: "update", alert: restored, announce: paused, audit }];
  }

  /** Applies a persistence target for one sampled condition. */
  apply(sample: ConditionSample, target: Target, now: number): AlertEvent[] {
    if (sample.priority === null) this.suppressed.delete(sample.cause);
    const o = this.open.get(sample.cause);
    if (!o) return target.type === "raise" ? this.raise(sample, target.priority, now) : [];
    const events: AlertEvent[] = [];
    const present = sample.priority !== null && PRIORITY_RANK[sample.priority] >= PRIORITY_RANK[o.alert.priority];
    if (present && o.status.conditionActive === false) events.push(...this.drive(o, { type: "condition", present: true }, now, sample, "condition_returned"));
    switch (target.type) {
      case "none":
      case "raise":
        break;
      case "worsen":
        events.push(...this.drive(o, { type: "worsen", priority: target.priority, latching: this.latches(sample, target.priority), now }, now, sample, "worsened"));
        break;
      case "downgrade":
        events.push(...this.drive(o, { type: "downgrade", priority: target.priority }, now, sample, "improved"));
        break;
      case "clear":
        events.push(...this.drive(o, { type: "condition", present: false }, now, sample, "condition_ended"));
        break;
      default:
        target satisfies never;
    }
    return events;
  }

  tick(now: number): AlertEvent[] {
    const events: AlertEvent[] = [];
    if (this.pause && now >= this.pause.until) this.pause = undefined;
    const { t1Ms, t2Ms } = this.d.config.escalation;
    for (const o of [...this.open.values()]) events.push(...this.drive(o, { type: "tick", now, t1Ms, t2Ms }, now, undefined, "timer"));
    return events;
  }

  ack(alertId: string, actor: Actor, now: number): AlertEvent[] {
    const o = this.lookup(alertId, actor);
    if (!("alert" in o)) return [o.reject];
    return this.drive(o, { type: "ack" }, now, undefined, "acknowledged", actor);
  }

  pauseAlert(alertId: string, kind: PatientPause["kind"], until: number, actor: Actor, now: number): AlertEvent[] {
    const o = this.lookup(alertId, actor);
    if (!("alert" in o)) return [o.reject];
    return this.drive(o, { type: kind, until }, now, undefined, kind, actor);
  }

  /** Pauses every open alert of the patient and raises new ones up to their priority paused. */
  pauseAll(kind: PatientPause["kind"], until: number, actor: Actor, now: number): AlertEvent[] {
    const opened = this.openAlerts();
    const ceiling = opened.reduce<AlertPriority>((c, a) => (PRIORITY_RANK[a.priority] > PRIORITY_RANK[c] ? a.priority : c), "low");
    this.pause = { kind, until, ceiling };
    const events = [...this.open.values()].flatMap((o) => this.drive(o, { type: kind, until }, now, undefined, kind, actor));
    return [...events, this.note("alert_state", { scope: "patient", pause: kind, until, ceiling }, actor)];
  }

  rejectAction(alertId: string, reason: "role_not_allowed" | "bad_duration", actor: Actor): AlertEvent {
    return { type: "reject", patientId: this.d.patientId, alertId, reason, audit: this.audit("action_rejected", { reason }, alertId, actor) };
  }

  note(type: AuditType, data: Record<string, unknown>, actor?: Actor): AlertEvent {
    return { type: "note", patientId: this.d.patientId, audit: this.audit(type, data, undefined, actor) };
  }

  /**
   * A late acknowledgement of a resolved alert is told "already_resolved" rather than "unknown";
   * for that byId kept every alert id ever raised, which grew for as long as the daemon ran
   * (issue 15). Older ones are forgotten: such an action is still refused, as "unknown_alert".
   */
  private forgetOldResolved(alertId: string): void {
    this.resolvedIds.push(alertId);
    if (this.resolvedIds.length > RESOLVED_IDS_KEPT) this.byId.delete(this.resolvedIds.shift() as string);
  }

  private lookup(alertId: string, actor: Actor): Open | { reject: AlertEvent } {
    const cause = this.byId.get(alertId);
    const o = cause === undefined ? undefined : this.open.get(cause);
    if (o && o.alert.id === alertId) return o;
    const reason = cause === undefined ? "unknown_alert" : "already_resolved";
    return { reject: { type: "reject", patientId: this.d.patientId, alertId, reason, audit: this.audit("action_rejected", { reason }, alertId, actor) } };
  }

  private raise(sample: ConditionSample, priority: AlertPriority, now: number): AlertEvent[] {
    const last = this.lastResolved.get(sample.cause);
    const window = sample.kind === "technical" ? this.d.config.rateLimit.technicalMs : this.d.config.rateLimit.physiologicalMs;
    if (last && now - last.at < window && PRIORITY_RANK[priority] <= PRIORITY_RANK[last.priority] && !sample.bypassRateLimit) {
      if (this.suppressed.has(sample.cause)) return [];
      this.suppressed.add(sample.cause);
      const audit = this.audit("alert_suppressed", { cause: sample.cause, priority, reason: "rate_limited", lastResolvedAt: last.at, message: sample.message, inputs: sample.inputs });
      return [{ type: "suppress", patientId: this.d.patientId, cause: sample.cause, priority, reason: "rate_limited", audit }];
    }
    const pause = this.pause && now < this.pause.until && PRIORITY_RANK[priority] <= PRIORITY_RANK[this.pause.ceiling] ? this.pause : undefined;
    const latching = this.latches(sample, priority);
    const state: AlertState = pause ? (pause.kind === "audio_pause" ? "audio_paused" : "alarm_paused") : "active";
    const status: AlarmStatus = { state, priority, latching, conditionActive: true, announcedAt: now, escalation: 0, ...(pause ? { until: pause.until } : {}) };
    const wall = this.d.wall();
    const alert: Alert = {
      id: this.d.newId(),
      patientId: this.d.patientId,
      kind: sample.kind,
      priority,
      cause: sample.cause,
      message: sample.message,
      state,
      ...(sample.news2 ? { news2: sample.news2 } : {}),
      ruleSetVersion: this.d.config.ruleSetVersion,
      inputs: sample.inputs,
      limits: sample.limits,
      raisedAt: wall,
      raisedAtMonotonic: now,
      conditionActive: true,
      escalation: 0,
      updatedAt: wall,
      ...(pause ? { until: pause.until } : {}),
    };
    this.open.set(sample.cause, { alert, status });
    this.byId.set(alert.id, sample.cause);
    this.suppressed.delete(sample.cause);
    const audit = this.audit("alert_raised", { cause: alert.cause, kind: alert.kind, priority, state, message: alert.message, inputs: alert.inputs, news2: alert.news2 ?? null, limits: alert.limits ?? {}, ruleSetVersion: alert.ruleSetVersion, latching }, alert.id);
    return [{ type: "raise", alert, announce: !pause, audit }];
  }

  private latches(sample: ConditionSample, priority: AlertPriority): boolean {
    return sample.kind === "physiological" && this.d.config.latching.includes(priority);
  }

  private drive(o: Open, input: AlarmInput, now: number, sample: ConditionSample | undefined, reason: string, actor?: Actor): AlertEvent[] {
    const before = o.status;
    const { status, effects } = step(before, input);
    if (effects.length === 0 || effects.includes("ignored")) return [];
    o.status = status;
    const wall = this.d.wall();
    const base = withoutUntil(o.alert);
    o.alert = {
      ...base,
      state: status.state,
      priority: status.priority,
      conditionActive: status.conditionActive,
      escalation: status.escalation,
      updatedAt: wall,
      ...(status.until !== undefined ? { until: status.until } : {}),
      ...(sample ? { message: sample.message, inputs: sample.inputs, limits: sample.limits, ...(sample.news2 ? { news2: sample.news2 } : {}) } : {}),
    };
    const alert = o.alert;
    const data = { cause: alert.cause, from: before.state, to: status.state, fromPriority: before.priority, priority: status.priority, reason, conditionActive: status.conditionActive, ...(status.until !== undefined ? { until: status.until } : {}), ...(sample ? { inputs: sample.inputs, news2: sample.news2 ?? null } : {}) };
    const out: AlertEvent[] = [];
    if (effects.includes("resolved")) {
      this.open.delete(alert.cause);
      this.lastResolved.set(alert.cause, { at: now, priority: before.priority });
      this.forgetOldResolved(alert.id);
      return [{ type: "resolve", alert, audit: this.audit("alert_resolved", data, alert.id, actor) }];
    }
    for (const e of effects) out.push(...this.effectEvent(e, alert, data, actor));
    return out;
  }

  private effectEvent(e: AlarmEffect, alert: Alert, data: Record<string, unknown>, actor?: Actor): AlertEvent[] {
    switch (e) {
      case "changed":
        return [{ type: "update", alert, announce: false, audit: this.audit(actor ? "alert_state" : "alert_updated", data, alert.id, actor) }];
      case "announce":
        return [{ type: "update", alert, announce: true, audit: this.audit("alert_updated", { ...data, announce: true }, alert.id, actor) }];
      case "escalate1":
      case "escalate2": {
        const level = e === "escalate1" ? 1 : 2;
        return [{ type: "escalate", alert, level, audit: this.audit("alert_escalated", { ...data, level }, alert.id) }];
      }
      case "resolved":
      case "ignored":
        return [];
      default:
        return e satisfies never;
    }
  }

  private audit(type: AuditType, data: Record<string, unknown>, alertId?: string, actor?: Actor): AuditEntry {
    return { type, at: this.d.wall(), patientId: this.d.patientId, ...(alertId ? { alertId } : {}), ...(actor ? { actor } : {}), data };
  }
}
