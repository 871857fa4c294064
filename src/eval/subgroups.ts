/**
 * Subgroup breakdown (research/anomaly-detection.md §6 implication 5): sensitivity and alerts per
 * patient-day by sex, age band and ICU type, as ratios to the whole cohort; a ratio outside
 * 0.8–1.25 is flagged. This is a clinical breakdown: the fairness criterion (sensitivity and
 * false-alert ratios per sex and age, calibration within each group) is fairness.ts. ICU type is
 * not a fairness criterion — a risk model should alert less on a lower-risk ward.
 * Demographics are only read here and in fairnessReport.ts, never by the model.
 */
import type { AdvisoryPolicy } from "../core/anomaly/advisory.js";
import { MODEL_CHANNELS } from "../core/anomaly/channels.js";
import { alertFigures, episodes, type StayOutcome } from "./metrics.js";
import type { Stay } from "./physionet.js";
import type { StaySeries } from "./replay.js";

export const RATIO_BAND = [0.8, 1.25] as const;

export interface GroupFigures {
  readonly sensitivity: number;
  readonly alertsPerPatientDay: number;
  /** Stay-level PPV: alerted stays that died. */
  readonly ppv: number;
  readonly sensitivityRatio: number;
  readonly alertRateRatio: number;
}

export interface SubgroupRow {
  readonly attribute: "sex" | "age" | "icu";
  readonly group: string;
  readonly stays: number;
  readonly deaths: number;
  /** Share of (tick, vital) slots with a fresh, plausible value: a group monitored less is served less (research §6). */
  readonly dataCompleteness: number;
  readonly news2: GroupFigures;
  readonly gateway: GroupFigures;
  /** Gateway ratios outside RATIO_BAND. */
  readonly flags: string[];
}

const ICU = { 0: "unknown", 1: "coronary care", 2: "cardiac surgery", 3: "medical", 4: "surgical" } as const;

/**
 * Age bands: under 50, 50–64, 65–79, 80 and over — younger adults, working age, the usual
 * "older adult" line at 65, and the oldest old. The cuts keep every band at ≥ 200 held-out stays
 * and ≥ 17 deaths on PhysioNet 2012; ≥ 80 is its own band because frailty,
 * blunted vital-sign responses and the highest mortality meet there — the group most likely to
 * be under-served by a score built on vital-sign deviations.
 */
export function ageBand(age: number): string {
  if (!Number.isFinite(age)) return "unknown";
  if (age < 50) return "<50";
  if (age < 65) return "50–64";
  if (age < 80) return "65–79";
  return "≥80";
}

export const AGE_ORDER = ["<50", "50–64", "65–79", "≥80", "unknown"];

const ATTRS: Record<SubgroupRow["attribute"], (s: Stay) => string> = {
  sex: (s) => s.sex,
  age: (s) => ageBand(s.age),
  icu: (s) => ICU[s.icuType],
};

const inBand = (r: number): boolean => !Number.isFinite(r) || (r >= RATIO_BAND[0] && r <= RATIO_BAND[1]);

export function subgroupTable(series: readonly StaySeries[], outcomes: readonly StayOutcome[], policies: { news2: AdvisoryPolicy; gateway: AdvisoryPolicy }, stepHours: number): SubgroupRow[] {
  const eps = {
    news2: series.map((s) => episodes(s.news2, policies.news2)),
    gateway: series.map((s) => episodes(s.score, policies.gateway)),
  };
  const all = { news2: alertFigures(eps.news2, outcomes, stepHours), gateway: alertFigures(eps.gateway, outcomes, stepHours) };
  const rows: SubgroupRow[] = [];
  for (const attribute of Object.keys(ATTRS) as SubgroupRow["attribute"][]) {
    const groups = new Map<string, number[]>();
    series.forEach((s, i) => {
      const g = ATTRS[attribute](s.stay);
      groups.set(g, [...(groups.get(g) ?? []), i]);
    });
    const rank = (g: string): number => AGE_ORDER.indexOf(g);
    for (const [group, idx] of [...groups].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))) {
      if (group === "unknown" && idx.length < 10) continue; // a handful of missing codes: too few to report
      const fig = (k: "news2" | "gateway"): GroupFigures => {
        const f = alertFigures(idx.map((i) => eps[k][i]!), idx.map((i) => outcomes[i]!), stepHours);
        return {
          sensitivity: f.sensitivity,
          alertsPerPatientDay: f.alertsPerPatientDay,
          ppv: f.ppv,
          sensitivityRatio: f.sensitivity / all[k].sensitivity,
          alertRateRatio: f.alertsPerPatientDay / all[k].alertsPerPatientDay,
        };
      };
      const gateway = fig("gateway");
      const flags = [
        ...(inBand(gateway.sensitivityRatio) ? [] : [`sensitivity ratio ${gateway.sensitivityRatio.toFixed(2)}`]),
        ...(inBand(gateway.alertRateRatio) ? [] : [`alert-rate ratio ${gateway.alertRateRatio.toFixed(2)}`]),
      ];
      let slots = 0;
      let filled = 0;
      for (const i of idx) {
        for (const n of series[i]!.fresh) {
          slots += MODEL_CHANNELS.length;
          filled += n;
        }
      }
      const dataCompleteness = slots ? filled / slots : Number.NaN;
      rows.push({ attribute, group, stays: idx.length, deaths: idx.filter((i) => outcomes[i]!.died).length, dataCompleteness, news2: fig("news2"), gateway, flags });
    }
  }
  return rows;
}
