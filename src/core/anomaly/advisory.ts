/**
 * The per-tick hook the pipeline calls after scoring (pure): attaches each patient's model score
 * to that patient's rule alerts and raises or clears model advisories with hysteresis.
 * DESIGN §1: the model adds information and can raise an advisory; it never suppresses, delays
 * or downgrades a rule alarm — rule alerts pass through one-for-one, only gaining fields.
 */
import type { Alert, AlertPriority, InputReading } from "../model.js";
import type { PatientState } from "./patientState.js";

/** A rule alarm at or above this NEWS2 freezes the personal baselines (high band, RCP 2017). */
export const RULE_FREEZE_NEWS2 = 7;
export const ADVISORY_CAUSE = "model:deterioration_risk";
export const MODEL_UNAVAILABLE_CAUSE = "technical:model_unavailable";

export interface AdvisoryPolicy {
  /** Raise at score ≥ threshold. */
  readonly threshold: number;
  /** Clear once score < clearBelow (≤ threshold), so a score hovering at the line does not flap. */
  readonly clearBelow: number;
}

/** One step of the advisory state machine for one patient; `raise` is true on the rising edge only. */
export function advisoryStep(active: boolean, score: number, p: AdvisoryPolicy): { active: boolean; raise: boolean } {
  if (!Number.isFinite(score)) return { active, raise: false }; // unavailable: keep state, never raise on nothing
  if (active) return { active: score >= p.clearBelow, raise: false };
  return score >= p.threshold ? { active: true, raise: true } : { active: false, raise: false };
}

/** At least one model channel has a fresh, plausible value in the newest step. */
export function hasFreshData(s: PatientState): boolean {
  return s.steps[0]?.values.some((v) => !Number.isNaN(v)) ?? false;
}

/** A model advisory the alert manager turns into an Alert (it owns ids, state and timestamps). */
export interface AdvisoryCondition {
  readonly patientId: string;
  readonly kind: "advisory";
  readonly priority: AlertPriority;
  readonly cause: typeof ADVISORY_CAUSE;
  readonly message: string;
  readonly modelScore: number;
  readonly modelVersion: string;
  readonly modelStatus: "ok";
}

/** The model's per-tick outcome as the hook needs it: a score per patient, or why there is none. */
export type TickScores =
  | { readonly status: "ok"; readonly version: string; readonly scores: ReadonlyMap<string, number> }
  | { readonly status: "unavailable"; readonly reason: string };

export interface ModelTickResult {
  /** The rule alerts, same order and count, each with modelScore/modelVersion/modelStatus set. */
  readonly alerts: Alert[];
  readonly raise: AdvisoryCondition[];
  /** Patients whose advisory cleared this tick (the alert manager resolves it). */
  readonly clear: string[];
  /** Patients with an active advisory after this tick; pass back in next tick. */
  readonly active: ReadonlySet<string>;
}

/**
 * Call once per tick with that tick's rule alerts (any patients) and scores.
 * A patient missing from `scores` (no fresh data) or an unavailable model → modelStatus
 * "unavailable" on that patient's alerts; advisories keep their state.
 */
export function applyModelTick(ruleAlerts: readonly Alert[], scores: TickScores, active: ReadonlySet<string>, policy: AdvisoryPolicy): ModelTickResult {
  const alerts = ruleAlerts.map((a): Alert => {
    const s = scores.status === "ok" ? scores.scores.get(a.patientId) : undefined;
    if (scores.status !== "ok" || s === undefined || !Number.isFinite(s)) {
      // A stale score must not ride on an unscored alert.
      const rest: { -readonly [K in keyof Alert]?: Alert[K] } = { ...a };
      delete rest.modelScore;
      delete rest.modelVersion;
      return { ...(rest as Alert), modelStatus: "unavailable" };
    }
    return { ...a, modelScore: s, modelVersion: scores.version, modelStatus: "ok" };
  });
  if (scores.status !== "ok") return { alerts, raise: [], clear: [], active };
  const next = new Set(active);
  const raise: AdvisoryCondition[] = [];
  const clear: string[] = [];
  for (const [patientId, score] of scores.scores) {
    const was = active.has(patientId);
    const step = advisoryStep(was, score, policy);
    if (step.active) next.add(patientId);
    else next.delete(patientId);
    if (was && !step.active) clear.push(patientId);
    if (step.raise) {
      raise.push({
        patientId,
        kind: "advisory",
        priority: "low",
        cause: ADVISORY_CAUSE,
        message: `Deterioration risk ${score.toFixed(2)} ≥ ${policy.threshold.toFixed(2)} (model ${scores.version}): review trends; rules unchanged`,
        modelScore: score,
        modelVersion: scores.version,
        modelStatus: "ok",
      });
    }
  }
  return { alerts, raise, clear, active: next };
}

/** The technical condition raised when the model cannot be loaded or keeps failing. */
export interface TechnicalCondition {
  readonly kind: "technical";
  readonly priority: AlertPriority;
  readonly cause: typeof MODEL_UNAVAILABLE_CAUSE;
  readonly message: string;
}

/** Gateway-wide (not per patient): rules keep running, the nurse must know the model is out. */
export function modelUnavailableCondition(reason: string): TechnicalCondition {
  return {
    kind: "technical",
    priority: "low",
    cause: MODEL_UNAVAILABLE_CAUSE,
    message: `Anomaly model unavailable (${reason}); alerting on NEWS2 rules alone`,
  };
}

/** What the alert manager supplies to turn a condition into an Alert (it owns ids and clocks). */
export interface AlertStamp {
  /** UUIDv7 from the caller's id source. */
  readonly id: string;
  readonly ruleSetVersion: string;
  readonly raisedAt: number;
  readonly raisedAtMonotonic: number;
  readonly inputs?: readonly InputReading[];
}

/** AdvisoryCondition → an active advisory Alert. */
export function advisoryAlert(c: AdvisoryCondition, stamp: AlertStamp): Alert {
  const { inputs = [], ...rest } = stamp;
  return { ...c, ...rest, inputs, state: "active" };
}

/** TechnicalCondition → an active technical Alert; `patientId` is "*" for the whole gateway unless given. */
export function technicalAlert(c: TechnicalCondition, stamp: AlertStamp, patientId = "*"): Alert {
  const { inputs = [], ...rest } = stamp;
  return { ...c, ...rest, patientId, inputs, state: "active", modelStatus: "unavailable" };
}
