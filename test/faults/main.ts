/**
 * `npm run faults [-- --json] [--rounds N] [--frames N] [--only a,b] [--seed N] [--bin PATH]`:
 * the fault-injection suite against the built gateway. Prints a table (or JSON) of figures and
 * checks; exit 0 when every check passed, 1 otherwise, 2 on bad usage.
 */
import { parseArgs } from "node:util";
import { killOwnedOnExit, releaseAll } from "./lib/owned.js";
import { SHORT, type SuiteOptions } from "./options.js";
import { table, type ScenarioResult } from "./report.js";
import { SCENARIOS } from "./scenarios/index.js";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { json: { type: "boolean" }, rounds: { type: "string" }, frames: { type: "string" }, only: { type: "string" }, seed: { type: "string" }, bin: { type: "string" } },
  });
  const int = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
  const options: SuiteOptions = { bin: values.bin ?? SHORT.bin, rounds: int(values.rounds, SHORT.rounds), frames: int(values.frames, SHORT.frames), seed: int(values.seed, SHORT.seed) };
  const only = values.only?.split(",");
  const unknown = only?.filter((n) => !(n in SCENARIOS)) ?? [];
  if (!Number.isInteger(options.rounds) || options.rounds < 1 || !Number.isInteger(options.frames) || options.frames < 1 || unknown.length > 0) {
    process.stderr.write(`usage: npm run faults -- [--json] [--rounds N≥1] [--frames N≥1] [--only ${Object.keys(SCENARIOS).join(",")}] [--seed N] [--bin PATH]\n`);
    return 2;
  }
  killOwnedOnExit();
  const results: ScenarioResult[] = [];
  for (const [name, run] of Object.entries(SCENARIOS)) {
    if (only && !only.includes(name)) continue;
    const started = performance.now();
    process.stderr.write(`faults: ${name}…\n`);
    try {
      results.push({ ...(await run(options)), seconds: (performance.now() - started) / 1000 });
    } catch (e) {
      results.push({ scenario: name, figures: {}, checks: [{ name: "ran to the end", ok: false, detail: (e as Error).message.slice(0, 2000) }] });
    } finally {
      await releaseAll();
    }
  }
  process.stdout.write(values.json ? `${JSON.stringify({ options, results }, null, 2)}\n` : `${table(results)}\n`);
  return results.every((r) => r.checks.every((c) => c.ok)) ? 0 : 1;
}

process.exitCode = await main();
