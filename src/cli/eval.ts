/**
 * `vitals-gateway eval --data DIR [--json] [--report FILE.html] [--model DIR] [--include-training]`
 * Replays a PhysioNet-2012-format folder in virtual time and prints NEWS2-vs-gateway figures
 * (DESIGN §4). Exit 0 ok (goals are reported, not enforced), 1 data/model failure, 2 usage.
 */
import { promises as fs } from "node:fs";
import { packagePath } from "../packageRoot.js";
import { loadTfjsAnomalyModel } from "../adapters/tfjs/tfjsAnomalyModel.js";
import { formatText } from "../eval/format.js";
import { renderHtml } from "../eval/report.js";
import { runEval } from "../eval/run.js";
import { parseFlags, UsageError, withUsage } from "./args.js";

export const USAGE = "usage: vitals-gateway eval --data DIR [--json] [--report FILE.html] [--model DIR] [--include-training]";

/** The committed model shipped with the package (models/vitals-risk), from src/ (tsx) or dist/. */
export function defaultModelDir(): string {
  return packagePath("models", "vitals-risk");
}

export function run(args: string[]): Promise<number> {
  return withUsage(USAGE, async () => {
    const { values } = parseFlags(args, {
      data: { type: "string" },
      json: { type: "boolean" },
      report: { type: "string" },
      model: { type: "string" },
      "include-training": { type: "boolean" },
    });
    if (!values.data) throw new UsageError("eval: --data DIR is required");
    let loaded;
    try {
      loaded = await loadTfjsAnomalyModel(values.model ?? defaultModelDir());
    } catch (e) {
      process.stderr.write(`eval: anomaly model ${(e as Error).message}\n`);
      return 1;
    }
    const { model } = loaded;
    try {
      const { report, problems } = await runEval(values.data, model, { includeTraining: values["include-training"] ?? false });
      if (problems.length) process.stderr.write(`eval: skipped ${problems.length} bad rows (first: ${problems[0]})\n`);
      if (values.report) await fs.writeFile(values.report, renderHtml(report));
      process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatText(report));
      return 0;
    } catch (e) {
      process.stderr.write(`eval: ${(e as Error).message}\n`);
      return 1;
    } finally {
      model.dispose();
    }
  });
}
