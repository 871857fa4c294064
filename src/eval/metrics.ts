/**
 * Alert-quality figures (research/anomaly-detection.md §3: AUROC plus event-level metrics —
 * sensitivity, alerts per patient-day, lead time). Pure functions over per-stay score series.
 */
import { advisoryStep, type AdvisoryPolicy } from "../core/anomaly/advisory.js";

/**
 * AUROC as the Mann–Whitney probability that a random positive outscores a random negative,
 * ties counting one half. NaN when either class is empty.
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<boolean>): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    const midRank = (i + j) / 2 + 1; // average rank of the tie block, 1-based
    for (let k = i; k <= j; k++) {
      if (labels[idx[k]!]) {
        rankSumPos += midRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = scores.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** ROC points (fpr, tpr) from the highest threshold down, one point per distinct score. */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<boolean>): [number, number][] {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let nPos = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) nPos++;
  const nNeg = labels.length - nPos;
  const pts: [number, number][] = [[0, 0]];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < idx.length; i++) {
    if (labels[idx[i]!]) tp++;
    else fp++;
    if (i + 1 === idx.length || scores[idx[i + 1]!] !== scores[idx[i]!]) pts.push([nNeg ? fp / nNeg : 0, nPos ? tp / nPos : 0]);
  }
  return pts;
}

export function maxOf(xs: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < xs.length; i++) if (xs[i]! > m) m = xs[i]!;
  return Number.isFinite(m) ? m : 0;
}

export interface Episodes {
  /** Nurse-facing notifications: rising edges plus reminders while the condition persists. */
  readonly alerts: number;
  /** Tick of the first alert, -1 if none. */
  readonly first: number;
  /** Ticks spent in the alert condition. */
  readonly activeTicks: number;
}

/**
 * A condition that persists is re-announced every this many ticks (research §7.4: at most one
 * nurse alert per cause per 4 h). Without it, an alert that never clears would count once, and
 * "flag everyone at admission, forever" would look like the quietest detector.
 */
export const RENOTIFY_TICKS = 4;

/** Alerts raised over a series by the same hysteresis state machine the live hook uses. */
export function episodes(series: ArrayLike<number>, policy: AdvisoryPolicy, renotify = RENOTIFY_TICKS): Episodes {
  let active = false;
  let alerts = 0;
  let first = -1;
  let activeTicks = 0;
  let since = 0;
  for (let t = 0; t < series.length; t++) {
    const s = advisoryStep(active, series[t]!, policy);
    if (s.raise) {
      alerts++;
      since = 0;
      if (first < 0) first = t;
    } else if (s.active && ++since >= renotify) {
      alerts++;
      since = 0;
    }
    active = s.active;
    if (active) activeTicks++;
  }
  return { alerts, first, activeTicks };
}

export interface StayOutcome {
  readonly died: boolean;
  /** Hours from admission to death; NaN if none. */
  readonly deathHours: number;
  /** Monitored patient-days. */
  readonly days: number;
}

export interface AlertFigures {
  readonly stays: number;
  readonly deaths: number;
  readonly alerts: number;
  readonly alertsPerPatientDay: number;
  /** Deaths with at least one alert / deaths. */
  readonly sensitivity: number;
  /** Survivors with no alert / survivors. */
  readonly specificity: number;
  /** Of the alerted stays, the fraction that died (stay-level PPV). */
  readonly ppv: number;
  /** Median hours from first alert to death, over alerted deaths. */
  readonly medianLeadHours: number;
  /** Median hours from admission to the first alert, over alerted deaths (earlier is better). */
  readonly medianFirstAlertHours: number;
  /** Fraction of monitored time in the alert condition. */
  readonly timeInAlert: number;
}

export function median(xs: readonly number[]): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function alertFigures(eps: readonly Episodes[], outcomes: readonly StayOutcome[], stepHours: number): AlertFigures {
  let alerts = 0;
  let days = 0;
  let deaths = 0;
  let caught = 0;
  let survivors = 0;
  let quiet = 0;
  let alerted = 0;
  let alertedDied = 0;
  const leads: number[] = [];
  const firsts: number[] = [];
  let activeHours = 0;
  eps.forEach((e, i) => {
    const o = outcomes[i]!;
    alerts += e.alerts;
    activeHours += e.activeTicks * stepHours;
    days += o.days;
    if (e.first >= 0) {
      alerted++;
      if (o.died) alertedDied++;
    }
    if (o.died) {
      deaths++;
      if (e.first >= 0) {
        caught++;
        firsts.push((e.first + 1) * stepHours);
        if (Number.isFinite(o.deathHours)) leads.push(o.deathHours - (e.first + 1) * stepHours);
      }
    } else {
      survivors++;
      if (e.first < 0) quiet++;
    }
  });
  return {
    stays: eps.length,
    deaths,
    alerts,
    alertsPerPatientDay: days ? alerts / days : Number.NaN,
    sensitivity: deaths ? caught / deaths : Number.NaN,
    specificity: survivors ? quiet / survivors : Number.NaN,
    ppv: alerted ? alertedDied / alerted : Number.NaN,
    medianLeadHours: median(leads),
    medianFirstAlertHours: median(firsts),
    timeInAlert: days ? activeHours / (days * 24) : Number.NaN,
  };
}
