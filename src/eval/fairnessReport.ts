/**
 * The fairness section of the eval report: the deployed advisory (budget threshold) and NEWS2 ≥ 5
 * per sex and age band (fairness.ts), and the model's calibration within each group
 * (calibration.ts). Demographics are read only here and in subgroups.ts, never by the model.
 */
import type { AdvisoryPolicy } from "../core/anomaly/advisory.js";
import { calibrate, predictedRisk, type Calibration } from "./calibration.js";
import { fairnessTable, inRatioBand, type FairnessRow, type StayFacts } from "./fairness.js";
import { episodes, type StayOutcome } from "./metrics.js";
import type { StaySeries } from "./replay.js";
import { ageBand, AGE_ORDER } from "./subgroups.js";

export const ADVISORY = "advisory";
export const NEWS2_5 = "NEWS2 ≥ 5";

export interface GroupCalibration extends Calibration {
  readonly attribute: FairnessRow["attribute"];
  readonly group: string;
}

export interface FairnessReport {
  /** Per sex and age band: sensitivity and false-alert ratios (group / all) with 95 % CIs, for ADVISORY and NEWS2_5. */
  readonly rows: FairnessRow[];
  /** The model's observed vs predicted deaths within each of the same groups. */
  readonly calibration: GroupCalibration[];
  /** Every ratio outside 0.8–1.25, as "attribute=group: detector ratio value". */
  readonly outside: string[];
  /** Groups whose observed/expected deaths leave 0.8–1.25, as "attribute=group O/E value": a risk number that means less for them. */
  readonly calibrationOutside: string[];
}

export function fairnessReport(series: readonly StaySeries[], outcomes: readonly StayOutcome[], policies: { news2: AdvisoryPolicy; advisory: AdvisoryPolicy }): FairnessReport {
  const facts = (pick: (s: StaySeries) => ArrayLike<number>, policy: AdvisoryPolicy): StayFacts[] =>
    series.map((s, i) => {
      const e = episodes(pick(s), policy);
      return { died: outcomes[i]!.died, days: outcomes[i]!.days, alerts: e.alerts, caught: e.first >= 0 };
    });
  const groups = { sex: series.map((s) => s.stay.sex as string), age: series.map((s) => ageBand(s.stay.age)) };
  const rows = fairnessTable(groups, { [ADVISORY]: facts((s) => s.score, policies.advisory), [NEWS2_5]: facts((s) => s.news2, policies.news2) }, (_, g) => AGE_ORDER.indexOf(g));
  const risk = series.map((s) => predictedRisk(s.score, s.fresh));
  const calibration = rows.map(({ attribute, group }) => {
    const members = groups[attribute].flatMap((g, i) => (g === group ? [i] : []));
    return { attribute, group, ...calibrate(members.map((i) => risk[i]!), members.map((i) => outcomes[i]!.died)) };
  });
  const calibrationOutside = calibration.filter((c) => Number.isFinite(c.oeRatio) && !inRatioBand(c.oeRatio)).map((c) => `${c.attribute}=${c.group} O/E ${c.oeRatio.toFixed(2)}`);
  return { rows, calibration, calibrationOutside, outside: rows.flatMap((r) => r.outside.map((o) => `${r.attribute}=${r.group}: ${o}`)) };
}
