/**
 * The advisory threshold, chosen by the alert budget an operator can afford rather than by hand.
 * `npm run train` measures, on the validation band (never the held-out split), the lowest risk
 * threshold whose advisories stay within each budget (advisories per patient-day, counted as the
 * eval counts them: rising edges plus a reminder every 4 h while the risk stays high), and stores
 * that table with the model. Here the gateway picks the row for its configured budget. Pure.
 */
import type { AdvisoryPolicy } from "./advisory.js";

/**
 * Default advisories per patient-day: 0.3, the suggestion, fixed before any figure was
 * read (so the held-out split did not pick it). What the held-out figures then say
 * (src/eval/README.md): from 0.1 to 0.5 a nurse works up ≈ 10 advisories per death they flag, and each flagged stay is a death
 * about 3 times in 10 (NEWS2 ≥ 5: 1.6); above 0.5 the work-ups per flagged death climb (16 at 1,
 * 26 at 2). 0.3 sits inside that floor while adding ≈ 5 % to the rule alarms a nurse already
 * sees (4.5/patient-day in ICU data) — a low-priority "look at the trends" that stays rare enough
 * to be read.
 */
export const DEFAULT_ADVISORY_BUDGET = 0.3;
/** Hysteresis: clear once the risk falls below this share of the threshold (unchanged from issue 5). */
export const CLEAR_RATIO = 0.85;

/** One row of the table stored in the model's metadata. */
export interface BudgetRow {
  /** Advisories per patient-day the operator allows. */
  readonly budget: number;
  /** The lowest threshold (on the validation grid) whose validation advisories stay ≤ budget. */
  readonly threshold: number;
  /** What that threshold gave on the validation band. */
  readonly validationPerPatientDay: number;
  readonly validationSensitivity: number;
}

/** The budgets the training script tabulates (operators pick any value; the nearest row at or below it is used). */
export const BUDGET_GRID = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 4] as const;

export interface BudgetChoice {
  readonly policy: AdvisoryPolicy;
  /** The row used, or undefined when the model carries no table (then its fixed threshold is used). */
  readonly row: BudgetRow | undefined;
  /** Why the row differs from the request, for the start-up log; undefined when it matches. */
  readonly note: string | undefined;
}

/**
 * The row with the largest budget not above the requested one, so the validation burden never
 * exceeds what the operator set (the patient's side: a quieter advisory is safer than an ignored one,
 * and the rule alarms are untouched either way). A budget below the smallest row takes the smallest.
 */
export function policyForBudget(table: readonly BudgetRow[] | undefined, budget: number, fallback: AdvisoryPolicy): BudgetChoice {
  if (!table || table.length === 0) return { policy: fallback, row: undefined, note: "model has no budget table; using its fixed threshold" };
  const rows = [...table].sort((a, b) => a.budget - b.budget);
  const fit = rows.filter((r) => r.budget <= budget).pop();
  const row = fit ?? rows[0]!;
  const note = fit === undefined ? `budget ${budget} is below the model's smallest row (${row.budget}); using that` : row.budget === budget ? undefined : `budget ${budget} rounded down to the model's row ${row.budget}`;
  return { policy: { threshold: row.threshold, clearBelow: Number((row.threshold * CLEAR_RATIO).toFixed(4)) }, row, note };
}
