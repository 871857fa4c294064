/**
 * Loads a PhysioNet-2012-format folder, keeps the held-out split, replays it through the model
 * and evaluates. Shared by `vitals-gateway eval` and the tests.
 */
import type { AnomalyModel } from "../ports/anomalyModel.js";
import { evaluate, type EvalReport } from "./evaluate.js";
import { loadPhysionet2012 } from "./physionet.js";
import { replay } from "./replay.js";
import { cuffGateFigure, NOT_IN_PHYSIONET_2012 } from "./gates.js";
import { isHeldOut } from "./split.js";

/** PhysioNet 2012 stays hold the first 48 h of ICU data. */
export const EVAL_HOURS = 48;

export interface EvalRun {
  readonly report: EvalReport;
  readonly problems: string[];
}

export async function runEval(dataDir: string, model: AnomalyModel, opts: { includeTraining?: boolean; budget?: number } = {}): Promise<EvalRun> {
  const meta = model.metadata;
  const heldOutOnly = !opts.includeTraining;
  const loaded = await loadPhysionet2012(dataDir, heldOutOnly ? (id) => isHeldOut(id, meta.split) : undefined);
  if (loaded.stays.length === 0) throw new Error(`${dataDir}: no ${heldOutOnly ? "held-out " : ""}stays to evaluate`);
  const ticks = Math.round((EVAL_HOURS * 3_600_000) / meta.stepMs);
  const r = replay(loaded.stays, { ticks, stepMs: meta.stepMs, model });
  const gates = [cuffGateFigure(loaded.stays, ticks, meta.stepMs), ...NOT_IN_PHYSIONET_2012];
  const budget = opts.budget === undefined ? {} : { budget: opts.budget };
  return { report: evaluate(r.series, meta, { heldOutOnly, unavailableTicks: r.unavailable.ticks, gates, ...budget }), problems: loaded.problems };
}
