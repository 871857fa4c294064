/** Seeded resampling: reproducible confidence intervals for AUROC and its difference. */
import { auroc } from "./metrics.js";

/** mulberry32: seeded PRNG so bootstrap intervals are reproducible run to run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PairedAurocCi {
  readonly a: readonly [number, number];
  readonly b: readonly [number, number];
  /** b − a. */
  readonly diff: readonly [number, number];
}

/** 95 % percentile intervals from a paired stay-level bootstrap (same resample for both scores). */
export function pairedAurocCi(a: ArrayLike<number>, b: ArrayLike<number>, labels: ArrayLike<boolean>, resamples = 500, seed = 2012): PairedAurocCi {
  const rand = mulberry32(seed);
  const n = labels.length;
  const ra: number[] = [];
  const rb: number[] = [];
  const rd: number[] = [];
  const sa = new Float64Array(n);
  const sb = new Float64Array(n);
  const sl: boolean[] = new Array<boolean>(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) {
      const k = Math.floor(rand() * n);
      sa[i] = a[k]!;
      sb[i] = b[k]!;
      sl[i] = labels[k]!;
    }
    const x = auroc(sa, sl);
    const y = auroc(sb, sl);
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    ra.push(x);
    rb.push(y);
    rd.push(y - x);
  }
  const ci = (xs: number[]): readonly [number, number] => {
    if (!xs.length) return [Number.NaN, Number.NaN];
    const s = [...xs].sort((p, q) => p - q);
    return [s[Math.floor(0.025 * (s.length - 1))]!, s[Math.ceil(0.975 * (s.length - 1))]!];
  };
  return { a: ci(ra), b: ci(rb), diff: ci(rd) };
}
