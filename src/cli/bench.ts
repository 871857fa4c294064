import { BENCHES } from "../bench/index.js";
import type { BenchFigure } from "../bench/bench.js";
import { parseFlags, withUsage } from "./args.js";

export const USAGE = "usage: vitals-gateway bench [--json] [--only NAME]";

export function formatFigure(f: BenchFigure): string {
  const v = f.value >= 100 ? Math.round(f.value).toLocaleString("en") : f.value.toPrecision(3);
  const ratio = f.baseline ? `   ${(f.value / f.baseline.value).toFixed(2)}× ${f.baseline.name}` : "";
  return `  ${f.name.padEnd(44)} ${v.padStart(12)} ${f.unit}${ratio}`;
}

export function run(args: string[]): Promise<number> {
  return withUsage(USAGE, async () => {
    const { values } = parseFlags(args, { json: { type: "boolean" }, only: { type: "string" } });
    const all: Record<string, BenchFigure[]> = {};
    for (const load of BENCHES) {
      const bench = await load();
      if (values.only ? !bench.name.includes(values.only) : bench.onlyWhenNamed) continue;
      if (!values.json) process.stdout.write(`${bench.name}\n`);
      const figures = await bench.run();
      all[bench.name] = figures;
      if (!values.json) for (const f of figures) process.stdout.write(`${formatFigure(f)}\n`);
    }
    if (values.json) process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
    return 0;
  });
}
