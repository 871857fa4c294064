/**
 * Calibration within a group: observed vs predicted in-hospital deaths by risk bin. A model can
 * rank every group equally well and still over- or under-state one group's risk; a nurse reads
 * the number, so the number must mean the same for a woman of 85 as for a man of 40.
 */

/** Deciles need ≈ 5 expected deaths per bin to say anything; below this many deaths, quintiles. */
export const DECILE_MIN_DEATHS = 50;

export interface CalibrationBin {
  readonly stays: number;
  readonly observed: number;
  /** Sum of the stays' predicted risks. */
  readonly expected: number;
  readonly meanRisk: number;
}

export interface Calibration {
  /** 10 (deciles) or 5 (quintiles, when the group has fewer than DECILE_MIN_DEATHS deaths). */
  readonly bins: number;
  readonly observed: number;
  readonly expected: number;
  /** Observed / expected deaths: 1 is calibrated-in-the-large, > 1 the model understates risk. */
  readonly oeRatio: number;
  readonly table: CalibrationBin[];
}

/**
 * The stay's predicted death risk: the mean of its hourly model scores over the hours with data.
 * The model is trained with the stay's outcome as the label of every hourly window
 * (scripts/train.ts), so each hourly score estimates the stay's risk and their mean is that
 * estimate with the hour-to-hour noise averaged out. NaN (model unavailable) and no-data hours
 * (scored 0 by the replay, not by the model) are left out.
 */
export function predictedRisk(score: ArrayLike<number>, fresh: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let t = 0; t < score.length; t++) {
    if (fresh[t]! > 0 && Number.isFinite(score[t]!)) {
      sum += score[t]!;
      n++;
    }
  }
  return n ? sum / n : Number.NaN;
}

/** Equal-count bins by predicted risk (ties kept in stay order), observed vs expected in each. */
export function calibrate(risk: readonly number[], died: readonly boolean[]): Calibration {
  const idx = risk.map((_, i) => i).filter((i) => Number.isFinite(risk[i]!)).sort((a, b) => risk[a]! - risk[b]! || a - b);
  const deaths = idx.filter((i) => died[i]).length;
  const bins = deaths >= DECILE_MIN_DEATHS ? 10 : 5;
  const table: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const part = idx.slice(Math.round((b * idx.length) / bins), Math.round(((b + 1) * idx.length) / bins));
    if (!part.length) continue;
    const expected = part.reduce((a, i) => a + risk[i]!, 0);
    table.push({ stays: part.length, observed: part.filter((i) => died[i]).length, expected, meanRisk: expected / part.length });
  }
  const expected = table.reduce((a, r) => a + r.expected, 0);
  return { bins, observed: deaths, expected, oeRatio: expected ? deaths / expected : Number.NaN, table };
}
