/**
 * Fairness measured per person, not per ward (issue 12): per sex and age band, for each detector,
 * the sensitivity ratio (deaths caught in the group / deaths caught overall) and the false-alert
 * ratio (alerts on survivors per survivor patient-day, group / overall), each with a 95 % stay
 * bootstrap interval. Alert-rate parity across ICU types is NOT a fairness criterion: a risk model
 * should alert less on a lower-risk ward (that stays in subgroups.ts as a clinical breakdown).
 * Counting only alerts on survivors keeps a group with more deaths from looking "over-alerted".
 */
import { mulberry32 } from "./bootstrap.js";
import { RATIO_BAND } from "./subgroups.js";

/** What the fairness figures need of one stay under one detector. */
export interface StayFacts {
  readonly died: boolean;
  /** Monitored patient-days. */
  readonly days: number;
  readonly alerts: number;
  /** At least one alert in the window. */
  readonly caught: boolean;
}

export interface RatioWithCi {
  readonly value: number;
  /** 95 % percentile interval, stay bootstrap (500 resamples, fixed seed); NaN ends when undefined. */
  readonly ci95: readonly [number, number];
}

export interface FairnessFigures {
  readonly sensitivity: number;
  readonly falseAlertsPerPatientDay: number;
  readonly sensitivityRatio: RatioWithCi;
  readonly falseAlertRatio: RatioWithCi;
}

export interface FairnessRow {
  readonly attribute: "sex" | "age";
  readonly group: string;
  readonly stays: number;
  readonly deaths: number;
  /** One entry per detector, in the order given. */
  readonly detectors: Readonly<Record<string, FairnessFigures>>;
  /** Every ratio outside RATIO_BAND, by detector and name: nothing outside the band is left unsaid. */
  readonly outside: string[];
}

interface Sums {
  deaths: number;
  caught: number;
  survivorAlerts: number;
  survivorDays: number;
}

function sums(facts: readonly StayFacts[], members: readonly number[], w: ArrayLike<number> | null): Sums {
  const s: Sums = { deaths: 0, caught: 0, survivorAlerts: 0, survivorDays: 0 };
  for (const i of members) {
    const k = w ? w[i]! : 1;
    if (k === 0) continue;
    const f = facts[i]!;
    if (f.died) {
      s.deaths += k;
      if (f.caught) s.caught += k;
    } else {
      s.survivorAlerts += k * f.alerts;
      s.survivorDays += k * f.days;
    }
  }
  return s;
}

const sens = (s: Sums): number => (s.deaths ? s.caught / s.deaths : Number.NaN);
const falseRate = (s: Sums): number => (s.survivorDays ? s.survivorAlerts / s.survivorDays : Number.NaN);

function percentile95(xs: number[]): readonly [number, number] {
  const ok = xs.filter(Number.isFinite).sort((a, b) => a - b);
  // Fewer than half the resamples defined (e.g. a group with one death): no honest interval.
  if (ok.length < xs.length / 2) return [Number.NaN, Number.NaN];
  return [ok[Math.floor(0.025 * (ok.length - 1))]!, ok[Math.ceil(0.975 * (ok.length - 1))]!];
}

export const inRatioBand = (r: number): boolean => r >= RATIO_BAND[0] && r <= RATIO_BAND[1];

/**
 * @param groups attribute → per-stay group label ("unknown" groups under 10 stays are skipped)
 * @param detectors detector name → per-stay facts (same stay order as the group labels)
 */
export function fairnessTable(
  groups: Readonly<Record<FairnessRow["attribute"], readonly string[]>>,
  detectors: Readonly<Record<string, readonly StayFacts[]>>,
  groupOrder: (attribute: string, group: string) => number = () => 0,
  resamples = 500,
  seed = 2012,
): FairnessRow[] {
  const names = Object.keys(detectors);
  const n = detectors[names[0]!]?.length ?? 0;
  const everyone = Array.from({ length: n }, (_, i) => i);
  // One set of stay resamples shared by every group and detector, so intervals are comparable.
  const rand = mulberry32(seed);
  const weights = Array.from({ length: resamples }, () => {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[Math.floor(rand() * n)]! += 1;
    return w;
  });
  const allSums = new Map(names.map((d) => [d, weights.map((w) => sums(detectors[d]!, everyone, w))]));
  const rows: FairnessRow[] = [];
  for (const attribute of Object.keys(groups) as FairnessRow["attribute"][]) {
    const labels = groups[attribute];
    const byGroup = new Map<string, number[]>();
    labels.forEach((g, i) => byGroup.set(g, [...(byGroup.get(g) ?? []), i]));
    const ordered = [...byGroup].sort(([a], [b]) => groupOrder(attribute, a) - groupOrder(attribute, b) || a.localeCompare(b));
    for (const [group, members] of ordered) {
      if (group === "unknown" && members.length < 10) continue; // a handful of missing codes: too few to report
      const perDetector: Record<string, FairnessFigures> = {};
      const outside: string[] = [];
      for (const d of names) {
        const facts = detectors[d]!;
        const g = sums(facts, members, null);
        const all = sums(facts, everyone, null);
        const bootSens: number[] = [];
        const bootFalse: number[] = [];
        weights.forEach((w, r) => {
          const gs = sums(facts, members, w);
          const as = allSums.get(d)![r]!;
          bootSens.push(sens(gs) / sens(as));
          bootFalse.push(falseRate(gs) / falseRate(as));
        });
        const fig: FairnessFigures = {
          sensitivity: sens(g),
          falseAlertsPerPatientDay: falseRate(g),
          sensitivityRatio: { value: sens(g) / sens(all), ci95: percentile95(bootSens) },
          falseAlertRatio: { value: falseRate(g) / falseRate(all), ci95: percentile95(bootFalse) },
        };
        perDetector[d] = fig;
        for (const [what, r] of [["sensitivity ratio", fig.sensitivityRatio], ["false-alert ratio", fig.falseAlertRatio]] as const) {
          if (Number.isFinite(r.value) && !inRatioBand(r.value)) outside.push(`${d} ${what} ${r.value.toFixed(2)}`);
        }
      }
      const deaths = members.filter((i) => detectors[names[0]!]![i]!.died).length;
      rows.push({ attribute, group, stays: members.length, deaths, detectors: perDetector, outside });
    }
  }
  return rows;
}
