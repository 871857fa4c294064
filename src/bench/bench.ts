/** A benchmark reports figures; each figure names the baseline it was measured against in the same run. */
export interface BenchFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Same-run baseline; the printed ratio is value / baseline.value. */
  readonly baseline?: { readonly name: string; readonly value: number };
}

export interface Bench {
  readonly name: string;
  /** Long runs (the hour-long soak) run only when `--only` names them, never in a plain `npm run bench`. */
  readonly onlyWhenNamed?: boolean;
  run(): Promise<BenchFigure[]>;
}

/** Runs `fn` repeatedly for about `ms` and returns operations per second. */
export function opsPerSecond(fn: () => void, ms = 1000, opsPerCall = 1): number {
  for (let i = 0; i < 3; i++) fn(); // warm-up: JIT and caches
  const start = process.hrtime.bigint();
  let calls = 0;
  let elapsed = 0;
  do {
    fn();
    calls++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  } while (elapsed < ms);
  return (calls * opsPerCall * 1000) / elapsed;
}
