/**
 * The alert burden a nurse would see: the NEWS2 rule alarms the running gateway raises, plus the
 * model's advisories at the configured budget, per patient-day — and how many of those alerts
 * (work-ups) it takes per death they catch. Rules are counted from the same snapshots NEWS2 scores;
 * the per-vital threshold alarms an operator configures (e.g. HR > 130) are deployment-specific
 * and left out, so the burden is a floor, not a ceiling.
 */
import { RENOTIFY_TICKS, type Episodes, type StayOutcome } from "./metrics.js";

/**
 * Rule alarms over one stay's NEWS2 rule levels (0 none, 1 medium or a single 3, 2 high): an alarm
 * on every rise in level (a 5 that becomes a 7 is announced again: it asks for a different response),
 * a reminder every RENOTIFY_TICKS while the level holds (the default physiological rate limit, 4 h).
 */
export function ruleAlarms(levels: ArrayLike<number>, renotify = RENOTIFY_TICKS): Episodes {
  let prev = 0;
  let alerts = 0;
  let first = -1;
  let activeTicks = 0;
  let since = 0;
  for (let t = 0; t < levels.length; t++) {
    const level = levels[t]!;
    if (level > prev) {
      alerts++;
      since = 0;
      if (first < 0) first = t;
    } else if (level > 0 && ++since >= renotify) {
      alerts++;
      since = 0;
    }
    if (level > 0) activeTicks++;
    else since = 0;
    prev = level;
  }
  return { alerts, first, activeTicks };
}

export interface AlertBurden {
  readonly rulesPerPatientDay: number;
  readonly advisoriesPerPatientDay: number;
  readonly totalPerPatientDay: number;
  readonly deaths: number;
  /** Deaths with at least one alert of that kind in the window. */
  readonly deathsDetected: { readonly rules: number; readonly advisories: number; readonly either: number };
  /** Alerts raised (on every stay) per death they detected: what a nurse works up to find one death. */
  readonly workUpsPerDetectedDeath: { readonly rules: number; readonly advisories: number; readonly total: number };
}

export function alertBurden(rules: readonly Episodes[], advisories: readonly Episodes[], outcomes: readonly StayOutcome[]): AlertBurden {
  let days = 0;
  let r = 0;
  let a = 0;
  let deaths = 0;
  const detected = { rules: 0, advisories: 0, either: 0 };
  outcomes.forEach((o, i) => {
    days += o.days;
    r += rules[i]!.alerts;
    a += advisories[i]!.alerts;
    if (!o.died) return;
    deaths++;
    const byRules = rules[i]!.first >= 0;
    const byModel = advisories[i]!.first >= 0;
    if (byRules) detected.rules++;
    if (byModel) detected.advisories++;
    if (byRules || byModel) detected.either++;
  });
  const per = (x: number, n: number): number => (n ? x / n : Number.NaN);
  return {
    rulesPerPatientDay: per(r, days),
    advisoriesPerPatientDay: per(a, days),
    totalPerPatientDay: per(r + a, days),
    deaths,
    deathsDetected: detected,
    workUpsPerDetectedDeath: { rules: per(r, detected.rules), advisories: per(a, detected.advisories), total: per(r + a, detected.either) },
  };
}
