/**
 * What every scenario returns: its figures (measured, printed as they are) and its checks (a
 * figure against the promise of issue 9's "Done when"). The suite fails if any check fails.
 */
export type Figure = number | string | boolean | null;

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  /** The measured value and the bound, in words. */
  readonly detail: string;
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly figures: Record<string, Figure>;
  readonly checks: Check[];
  /** Why it did not run (e.g. "needs root"): reported, not failed. */
  readonly skipped?: string;
  readonly seconds?: number;
}

export const check = (name: string, ok: boolean, detail: string): Check => ({ name, ok, detail });
export const atMost = (name: string, value: number | null, bound: number, unit = ""): Check =>
  check(name, value !== null && value <= bound, `${value === null ? "not observed" : `${round(value)}${unit}`} (≤ ${bound}${unit})`);

export const round = (x: number): number => Math.round(x * 100) / 100;

export function table(results: readonly ScenarioResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`\n== ${r.scenario}${r.skipped ? `  (skipped: ${r.skipped})` : ""}${r.seconds !== undefined ? `  [${Math.round(r.seconds)} s]` : ""}`);
    for (const [k, v] of Object.entries(r.figures)) lines.push(`   ${k.padEnd(34)} ${typeof v === "number" ? round(v) : String(v)}`);
    for (const c of r.checks) lines.push(`   ${c.ok ? "ok  " : "FAIL"} ${c.name.padEnd(48)} ${c.detail}`);
  }
  const failed = results.flatMap((r) => r.checks.filter((c) => !c.ok));
  lines.push(`\n${failed.length === 0 ? "all checks passed" : `${failed.length} check(s) failed`}`);
  return lines.join("\n");
}
