/**
 * Runs the anomaly layer beside the rules (DESIGN §1): feeds it readings and nurse context, scores
 * every patient once per model step, decorates alerts with the latest score (or "model
 * unavailable"), and turns advisories and model failures into external conditions for the
 * alerting engine — which persists, audits and announces them like any other. The model never
 * suppresses a rule alarm: it can only add fields and advisories.
 */
import type { AnomalyModel } from "../../ports/anomalyModel.js";
import type { Clock } from "../../ports/clock.js";
import type { AlertingInput } from "../alerting/alerting.js";
import type { Alert, Reading } from "../model.js";
import { ADVISORY_CAUSE, applyModelTick, MODEL_UNAVAILABLE_CAUSE, type AdvisoryPolicy, type TechnicalCondition, type TickScores } from "./advisory.js";
import { observeContext, observeReading, tickAll, tickScores, type AnomalyStates } from "./live.js";
import { advisoryMessage, occludedWindows } from "./drivers.js";
import { HEALTHY, modelHealthStep, type ModelHealth } from "./modelHealth.js";

export class AnomalyRunner {
  private states: AnomalyStates = new Map();
  private scores: TickScores;
  private active: ReadonlySet<string> = new Set();
  private health: ModelHealth = HEALTHY;

  constructor(
    private readonly model: AnomalyModel,
    /** The advisory line in force (from the model's budget table and the configured budget). */
    readonly policy: AdvisoryPolicy,
    private readonly clock: Clock,
    /** The gateway-wide patient id for the model's own technical condition. */
    private readonly gatewayId: string,
    /** Hands conditions to the alerting engine. */
    private readonly report: (input: AlertingInput) => void,
    /** A patient in a high rule alarm: baselines freeze (anomaly-detection.md §7). */
    private readonly inAlarm: (patientId: string) => boolean,
    loadFailure?: TechnicalCondition,
  ) {
    this.scores = { status: "unavailable", reason: loadFailure?.message ?? "no model step yet" };
    if (loadFailure) this.reportModel(true, loadFailure.message);
  }

  /** The model's own scoring period (metadata.stepMs). */
  get stepMs(): number {
    return this.model.metadata.stepMs;
  }

  observe(reading: Reading): void {
    this.states = observeReading(this.states, reading);
  }

  context(patientId: string, input: "on_oxygen" | "not_alert", value: boolean): void {
    this.states = observeContext(this.states, patientId, input, value, this.clock.now());
  }

  /** The alert with the latest score of its patient, or marked "model unavailable". */
  decorate(alert: Alert): Alert {
    if (alert.kind === "technical") return alert;
    return applyModelTick([alert], this.scores, this.active, this.policy).alerts[0] ?? alert;
  }

  /** One model step: score all patients with fresh data in one batch. */
  step(): void {
    const batch = tickAll(this.states, this.clock.now(), this.inAlarm);
    this.states = batch.states;
    const result = batch.windows.length === 0 ? { status: "ok" as const, scores: new Float32Array(), version: this.model.metadata.version } : this.model.scoreBatch(batch.windows);
    this.scores = tickScores(batch.patientIds, result);
    const tick = applyModelTick([], this.scores, this.active, this.policy);
    this.active = tick.active;
    for (const c of tick.raise) this.reportAdvisory(c.patientId, true, this.explain(c.patientId, c.modelScore, c.message));
    for (const patientId of tick.clear) this.reportAdvisory(patientId, false, "deterioration risk back below the line");
    const h = modelHealthStep(this.health, result);
    this.health = h.health;
    if (h.raise) this.reportModel(true, h.raise.message);
    if (h.clear) this.reportModel(false, "anomaly model scoring again");
  }

  /**
   * The advisory in a nurse's words: one extra batch of 5 windows per raised advisory (rare by
   * design: the budget), never per tick. If that scoring fails the plain message stands.
   */
  private explain(patientId: string, risk: number, plain: string): string {
    const state = this.states.get(patientId);
    if (!state) return plain;
    const r = this.model.scoreBatch(occludedWindows(state));
    return r.status === "ok" ? advisoryMessage(state, risk, r.scores, r.version) : plain;
  }

  private reportAdvisory(patientId: string, present: boolean, message: string): void {
    this.report({ type: "technical", patientId, condition: { name: "deterioration_risk", kind: "advisory", cause: ADVISORY_CAUSE, priority: "low", present, message } });
  }

  private reportModel(present: boolean, message: string): void {
    this.report({ type: "technical", patientId: this.gatewayId, condition: { name: "model_unavailable", cause: MODEL_UNAVAILABLE_CAUSE, priority: "low", present, message } });
  }
}
