/**
 * Builds the budget → threshold table stored with the model (src/core/anomaly/budget.ts) from
 * scored validation stays. Same alert counting as the eval (episodes: rising edges plus 4-hourly
 * reminders), so "≤ budget on validation" means the same thing the eval then checks on held-out data.
 */
import { BUDGET_GRID, CLEAR_RATIO, type BudgetRow } from "../core/anomaly/budget.js";
import { alertFigures, episodes, type StayOutcome } from "./metrics.js";

/** Distinct score levels, highest first, thinned to at most `n` (a 0.001-wide grid is finer than the scores' spread matters). */
function thresholdGrid(series: readonly ArrayLike<number>[], n = 2000): number[] {
  const all: number[] = [];
  for (const s of series) for (let i = 0; i < s.length; i++) if (Number.isFinite(s[i]!) && s[i]! > 0) all.push(s[i]!);
  all.sort((a, b) => b - a);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = all[Math.floor((i / n) * (all.length - 1))];
    if (v !== undefined && v !== out[out.length - 1]) out.push(v);
  }
  return out;
}

/**
 * For each budget: walking the threshold down from the highest score, the last threshold before
 * the advisories per patient-day first exceed the budget. Stopping at the first excess (rather
 * than taking any lower threshold that happens to fit) keeps the choice conservative where
 * hysteresis makes the count non-monotone.
 */
export function budgetTable(scores: readonly ArrayLike<number>[], outcomes: readonly StayOutcome[], stepHours: number, budgets: readonly number[] = BUDGET_GRID): BudgetRow[] {
  const grid = thresholdGrid(scores);
  const figures = grid.map((t) => ({ t, fig: alertFigures(scores.map((s) => episodes(s, { threshold: t, clearBelow: t * CLEAR_RATIO })), outcomes, stepHours) }));
  return budgets.map((budget) => {
    let chosen = figures[0];
    for (const f of figures) {
      if (f.fig.alertsPerPatientDay > budget) break;
      chosen = f;
    }
    if (!chosen) throw new Error("budgetTable: no scores to choose a threshold from");
    return {
      budget,
      // Rounded up, never down: a lower threshold could only add advisories.
      threshold: Math.ceil(chosen.t * 1e4) / 1e4,
      validationPerPatientDay: Number(chosen.fig.alertsPerPatientDay.toFixed(3)),
      validationSensitivity: Number(chosen.fig.sensitivity.toFixed(3)),
    };
  });
}
