/** Bounded waiting: every loop in the suite ends by a deadline, never by hope. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes (then undefined). */
export async function pollFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 100): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    await sleep(everyMs);
  }
}

/** A deterministic PRNG (the evaluation's mulberry32) so a failing fuzz run can be replayed from its seed. */
export { mulberry32 as prng } from "../../../src/eval/bootstrap.js";

export function median(xs: readonly number[]): number | null {
  return quantile(xs, 0.5);
}

/** Nearest-rank quantile; null for no samples. */
export function quantile(xs: readonly number[], q: number): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? null;
}
