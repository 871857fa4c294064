/**
 * The evaluation: NEWS2 alone vs the gateway (rules + model) on replayed stays.
 * Gateway score = the model's risk, whose inputs include the NEWS2 subscores of the same tick;
 * gateway alerts = model advisories at the committed threshold with its hysteresis.
 */
import type { AdvisoryPolicy } from "../core/anomaly/advisory.js";
import type { ModelMetadata } from "../ports/anomalyModel.js";
import { pairedAurocCi, type PairedAurocCi } from "./bootstrap.js";
import { alertFigures, auroc, episodes, maxOf, rocCurve, type AlertFigures, type StayOutcome } from "./metrics.js";
import type { StaySeries } from "./replay.js";
import type { Stay } from "./physionet.js";
import { subgroupTable, type SubgroupRow } from "./subgroups.js";
import { stayAlerts, volumeRatioCi } from "./volumeCi.js";
import { DEFAULT_ADVISORY_BUDGET, policyForBudget } from "../core/anomaly/budget.js";
import { alertBurden, ruleAlarms, type AlertBurden } from "./burden.js";
import type { GateFigure } from "./gates.js";
import { fairnessReport, type FairnessReport } from "./fairnessReport.js";

export const NEWS2_MEDIUM: AdvisoryPolicy = { threshold: 5, clearBelow: 5 };
export const NEWS2_HIGH: AdvisoryPolicy = { threshold: 7, clearBelow: 7 };

export interface OperatingPoint extends AlertFigures {
  readonly name: string;
  readonly threshold: number;
}

export interface Goal {
  readonly goal: string;
  readonly target: string;
  readonly value: string;
  readonly met: boolean;
}

export interface EvalReport {
  readonly data: { readonly stays: number; readonly deaths: number; readonly patientDays: number; readonly heldOutOnly: boolean; readonly hours: number };
  readonly model: { readonly name: string; readonly version: string; readonly trainingDataHash: string; readonly threshold: number; readonly unavailableTicks: number };
  readonly auroc: {
    readonly news2: number;
    readonly gateway: number;
    /** 95 % paired stay-level bootstrap intervals (500 resamples, fixed seed). */
    readonly ci95: PairedAurocCi;
  };
  readonly operatingPoints: OperatingPoint[];
  readonly matched: {
    /** Gateway threshold giving at most NEWS2 ≥ 5's alerts per patient-day, and its sensitivity. */
    readonly atNews2Volume: OperatingPoint | null;
    /** Gateway threshold reaching NEWS2 ≥ 5's sensitivity with the fewest alerts. */
    readonly atNews2Sensitivity: OperatingPoint | null;
    readonly volumeRatioAtEqualSensitivity: number;
    /** 95 % stay-bootstrap interval of that ratio (500 resamples, fixed seed; same threshold grid). */
    readonly volumeRatioCi95: readonly [number, number];
  };
  /** Clinical breakdown by sex, age band and ICU type (ICU type is not a fairness criterion). */
  readonly subgroups: SubgroupRow[];
  /** Fairness: sensitivity and false-alert ratios per sex and age band, calibration within each group. */
  readonly fairness: FairnessReport;
  /** The advisory as deployed: threshold from the model's budget table for `budget` (advisories per patient-day). */
  readonly advisory: { readonly budget: number; readonly threshold: number; readonly note: string | undefined };
  /** Rule alarms + advisories a nurse would see, and work-ups per detected death. */
  readonly burden: AlertBurden;
  /** What each cross-channel quality gate changed on this data, or why it cannot be measured here. */
  readonly gates: readonly GateFigure[];
  readonly goals: Goal[];
  readonly roc: { readonly news2: [number, number][]; readonly gateway: [number, number][] };
}

/** One hysteresis ratio for live, training and eval (src/core/anomaly/budget.ts). */
export { CLEAR_RATIO } from "../core/anomaly/budget.js";
import { CLEAR_RATIO } from "../core/anomaly/budget.js";

function thin(pts: [number, number][], max = 200): [number, number][] {
  if (pts.length <= max) return pts;
  const step = (pts.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => pts[Math.round(i * step)]!);
}

function candidates(series: readonly StaySeries[], n = 300): number[] {
  const all: number[] = [];
  for (const s of series) for (const v of s.score) if (Number.isFinite(v)) all.push(v);
  all.sort((a, b) => a - b);
  const out = new Set<number>();
  for (let i = 0; i < n; i++) out.add(all[Math.floor((i / n) * (all.length - 1))]!);
  return [...out].filter((x) => x > 0);
}

export function outcomeOf(stay: Stay, hours: number): StayOutcome {
  return { died: stay.died, deathHours: stay.died ? stay.survivalDays * 24 : Number.NaN, days: hours / 24 };
}

export function operatingPoint(name: string, series: readonly ArrayLike<number>[], policy: AdvisoryPolicy, outcomes: readonly StayOutcome[], stepHours: number): OperatingPoint {
  const eps = series.map((s) => episodes(s, policy));
  return { name, threshold: policy.threshold, ...alertFigures(eps, outcomes, stepHours) };
}

export interface EvalOptions {
  readonly heldOutOnly: boolean;
  readonly unavailableTicks: number;
  /** Advisories per patient-day; default DEFAULT_ADVISORY_BUDGET, as in the gateway's config. */
  readonly budget?: number;
  readonly gates?: readonly GateFigure[];
}

export function evaluate(series: readonly StaySeries[], meta: ModelMetadata, opts: EvalOptions): EvalReport {
  const ticks = series[0]?.news2.length ?? 0;
  const stepHours = meta.stepMs / 3_600_000;
  const hours = ticks * stepHours;
  const outcomes = series.map((s) => outcomeOf(s.stay, hours));
  const died = series.map((s) => s.stay.died);
  const news = series.map((s) => s.news2);
  const gw = series.map((s) => s.score);
  const newsMax = news.map(maxOf);
  const gwMax = gw.map(maxOf);
  const budget = opts.budget ?? DEFAULT_ADVISORY_BUDGET;
  const choice = policyForBudget(meta.advisoryBudgets, budget, { threshold: meta.threshold, clearBelow: meta.clearBelow });
  const policy = choice.policy;
  const n5 = operatingPoint("NEWS2 ≥ 5", news, NEWS2_MEDIUM, outcomes, stepHours);
  const n7 = operatingPoint("NEWS2 ≥ 7", news, NEWS2_HIGH, outcomes, stepHours);
  const g = operatingPoint(`gateway (risk ≥ ${policy.threshold})`, gw, policy, outcomes, stepHours);
  const burden = alertBurden(
    series.map((s) => ruleAlarms(s.ruleLevel)),
    gw.map((s) => episodes(s, policy)),
    outcomes,
  );
  const grid = candidates(series).map((t) => ({ t, eps: gw.map((s) => episodes(s, { threshold: t, clearBelow: t * CLEAR_RATIO })) }));
  const sweep = grid.map(({ t, eps }) => ({ name: `gateway (risk ≥ ${t.toFixed(4)})`, threshold: t, ...alertFigures(eps, outcomes, stepHours) }));
  const byVolume = sweep.filter((p) => p.alertsPerPatientDay <= n5.alertsPerPatientDay).sort((a, b) => b.sensitivity - a.sensitivity || a.alertsPerPatientDay - b.alertsPerPatientDay)[0] ?? null;
  const bySens = sweep.filter((p) => p.sensitivity >= n5.sensitivity).sort((a, b) => a.alertsPerPatientDay - b.alertsPerPatientDay)[0] ?? null;
  const volumeRatio = bySens ? bySens.alertsPerPatientDay / n5.alertsPerPatientDay : Number.NaN;
  const volumeCi = volumeRatioCi(stayAlerts(news.map((s) => episodes(s, NEWS2_MEDIUM))), grid.map((g) => stayAlerts(g.eps)), died);
  const aNews = auroc(newsMax, died);
  const aGw = auroc(gwMax, died);
  const ci = pairedAurocCi(newsMax, gwMax, died);
  const subgroups = subgroupTable(series, outcomes, { news2: NEWS2_MEDIUM, gateway: policy }, stepHours);
  const fairness = fairnessReport(series, outcomes, { news2: NEWS2_MEDIUM, advisory: policy });
  const unfair = fairness.outside.filter((o) => o.includes(": advisory "));
  const goals: Goal[] = [
    {
      goal: "AUROC (per-stay max) gateway ≥ NEWS2 + 0.05",
      target: `≥ ${(aNews + 0.05).toFixed(3)}`,
      value: `${aGw.toFixed(3)} (difference ${(aGw - aNews).toFixed(3)}, 95 % CI ${ci.diff[0].toFixed(3)} to ${ci.diff[1].toFixed(3)})`,
      met: aGw >= aNews + 0.05,
    },
    {
      goal: "alerts/patient-day at NEWS2 ≥ 5's sensitivity ≤ ½ of NEWS2 ≥ 5",
      target: "≤ 0.50×",
      value: Number.isFinite(volumeRatio) ? `${volumeRatio.toFixed(2)}× (95 % CI ${volumeCi[0].toFixed(2)}× to ${volumeCi[1].toFixed(2)}×)` : "sensitivity not reached",
      met: volumeRatio <= 0.5,
    },
    {
      goal: `model advisories/patient-day ≤ the budget (${budget})`,
      target: `≤ ${budget}`,
      value: `${burden.advisoriesPerPatientDay.toFixed(2)} (threshold ${policy.threshold}); with NEWS2 rule alarms ${burden.rulesPerPatientDay.toFixed(2)} a nurse sees ${burden.totalPerPatientDay.toFixed(2)}/patient-day`,
      met: burden.advisoriesPerPatientDay <= budget,
    },
    {
      goal: "every fairness ratio of the advisory (sensitivity and false alerts, per sex and age band, vs all) in 0.8–1.25",
      target: "0 outside",
      value: `${unfair.length} of ${fairness.rows.length * 2} outside${unfair.length ? `: ${unfair.join("; ")}` : ""}`,
      met: unfair.length === 0,
    },
  ];
  return {
    data: { stays: series.length, deaths: died.filter(Boolean).length, patientDays: outcomes.reduce((a, o) => a + o.days, 0), heldOutOnly: opts.heldOutOnly, hours },
    model: { name: meta.name, version: meta.version, trainingDataHash: meta.trainingDataHash, threshold: policy.threshold, unavailableTicks: opts.unavailableTicks },
    auroc: { news2: aNews, gateway: aGw, ci95: ci },
    operatingPoints: [n5, n7, g],
    matched: { atNews2Volume: byVolume, atNews2Sensitivity: bySens, volumeRatioAtEqualSensitivity: volumeRatio, volumeRatioCi95: volumeCi },
    subgroups,
    fairness,
    advisory: { budget, threshold: policy.threshold, note: choice.note },
    burden,
    gates: opts.gates ?? [],
    goals,
    roc: { news2: thin(rocCurve(newsMax, died)), gateway: thin(rocCurve(gwMax, died)) },
  };
}
