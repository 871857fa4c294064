/**
 * qSOFA (Sepsis-3; Seymour et al., JAMA 2016;315:762): one point each for respiratory rate
 * ≥ 22 /min, systolic BP ≤ 100 mmHg and altered mentation; ≥ 2 is "qSOFA positive". Used only as
 * a secondary "possible sepsis" advisory, never as the main trigger (research/anomaly-detection.md
 * §2.3: sensitivity 62.8 % for sepsis; SSC 2021 advises against it as a single screening tool).
 * Altered mentation is taken from ACVPU other than A (a wearable cannot measure GCS). Pure.
 */
import { roundHalfUp } from "./news2.js";

export const QSOFA_CRITERIA = ["respiratory_rate", "systolic_bp", "mentation"] as const;
export type QsofaCriterion = (typeof QSOFA_CRITERIA)[number];

export interface QsofaInput {
  readonly respiratoryRate?: number | undefined;
  readonly systolicBp?: number | undefined;
  readonly alteredMentation?: boolean | undefined;
}

export interface QsofaResult {
  /** A lower bound when something is missing. */
  readonly score: number;
  readonly met: readonly QsofaCriterion[];
  readonly missing: readonly QsofaCriterion[];
  readonly positive: boolean;
}

export function qsofa(input: QsofaInput): QsofaResult {
  const met: QsofaCriterion[] = [];
  const missing: QsofaCriterion[] = [];
  const check = (c: QsofaCriterion, v: number | boolean | undefined, hit: (v: never) => boolean): void => {
    if (v === undefined || (typeof v === "number" && !Number.isFinite(v))) missing.push(c);
    else if (hit(v as never)) met.push(c);
  };
  check("respiratory_rate", input.respiratoryRate, (v: number) => roundHalfUp(v, 0) >= 22);
  check("systolic_bp", input.systolicBp, (v: number) => roundHalfUp(v, 0) <= 100);
  check("mentation", input.alteredMentation, (v: boolean) => v);
  return { score: met.length, met, missing, positive: met.length >= 2 };
}
