/**
 * Bootstrap interval for goal (b), the gateway's alert volume at NEWS2 ≥ 5's sensitivity as a
 * multiple of NEWS2 ≥ 5's. The matched point hinges on the few hardest-to-catch deaths, so the
 * point estimate alone overstates what is known (3-fold CV over the training stays gave 0.49×–1.13×
 * for one model configuration). Same stay resample for both detectors, same threshold grid.
 */
import { mulberry32 } from "./bootstrap.js";
import type { Episodes } from "./metrics.js";

/** Per stay: alerts raised and whether any alert came (the matched analysis needs nothing else). */
export interface StayAlerts {
  readonly alerts: Int32Array;
  readonly caught: Uint8Array;
}

export function stayAlerts(eps: readonly Episodes[]): StayAlerts {
  return { alerts: Int32Array.from(eps, (e) => e.alerts), caught: Uint8Array.from(eps, (e) => (e.first >= 0 ? 1 : 0)) };
}

/** Lowest gateway/NEWS2 alert ratio over the grid among thresholds reaching NEWS2's sensitivity; +∞ if none does. */
function matchedRatio(news: StayAlerts, grid: readonly StayAlerts[], died: readonly boolean[], w: Float64Array): number {
  let newsAlerts = 0;
  let newsCaught = 0;
  let deaths = 0;
  for (let i = 0; i < w.length; i++) {
    newsAlerts += w[i]! * news.alerts[i]!;
    if (died[i]) {
      deaths += w[i]!;
      newsCaught += w[i]! * news.caught[i]!;
    }
  }
  let best = Number.POSITIVE_INFINITY;
  for (const g of grid) {
    let alerts = 0;
    let caught = 0;
    for (let i = 0; i < w.length; i++) {
      alerts += w[i]! * g.alerts[i]!;
      if (died[i]) caught += w[i]! * g.caught[i]!;
    }
    // Compare sensitivities as counts over the same deaths: no rounding decides a tie.
    if (deaths > 0 && caught >= newsCaught && newsAlerts > 0) best = Math.min(best, alerts / newsAlerts);
  }
  return best;
}

/** 95 % percentile interval of the equal-sensitivity volume ratio (stay bootstrap, fixed seed). */
export function volumeRatioCi(news: StayAlerts, grid: readonly StayAlerts[], died: readonly boolean[], resamples = 500, seed = 2012): readonly [number, number] {
  const n = died.length;
  if (n === 0 || grid.length === 0) return [Number.NaN, Number.NaN];
  const rand = mulberry32(seed);
  const w = new Float64Array(n);
  const ratios: number[] = [];
  for (let r = 0; r < resamples; r++) {
    w.fill(0);
    for (let i = 0; i < n; i++) {
      const k = Math.floor(rand() * n);
      w[k] = w[k]! + 1;
    }
    ratios.push(matchedRatio(news, grid, died, w));
  }
  ratios.sort((a, b) => a - b);
  return [ratios[Math.floor(0.025 * (resamples - 1))]!, ratios[Math.ceil(0.975 * (resamples - 1))]!];
}
