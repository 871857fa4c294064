import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { policyForBudget, type BudgetRow } from "../../src/core/anomaly/budget.js";
import { budgetTable } from "../../src/eval/budgetTable.js";
import { alertFigures, episodes, type StayOutcome } from "../../src/eval/metrics.js";
import { mulberry32 } from "../../src/eval/bootstrap.js";
import { loadConfigText } from "../../src/config/load.js";
import { startAnomaly } from "../../src/adapters/tfjs/startAnomaly.js";
import { packagePath } from "../../src/packageRoot.js";
import type { Logger } from "../../src/ports/logger.js";

const row = (budget: number, threshold: number): BudgetRow => ({ budget, threshold, validationPerPatientDay: budget, validationSensitivity: 0.5 });
const TABLE = [row(0.1, 0.7), row(0.3, 0.5), row(1, 0.3)];
const FALLBACK = { threshold: 0.12, clearBelow: 0.1 };

describe("advisory threshold by alert budget", () => {
  it("takes the row with the largest budget not above the requested one", () => {
    expect(policyForBudget(TABLE, 0.3, FALLBACK)).toMatchObject({ policy: { threshold: 0.5, clearBelow: 0.425 }, note: undefined });
    expect(policyForBudget(TABLE, 0.5, FALLBACK).policy.threshold).toBe(0.5); // never more advisories than asked for
    expect(policyForBudget(TABLE, 5, FALLBACK).policy.threshold).toBe(0.3);
    const below = policyForBudget(TABLE, 0.01, FALLBACK);
    expect(below.policy.threshold).toBe(0.7);
    expect(below.note).toMatch(/below the model's smallest row/);
  });

  it("falls back to the model's fixed threshold, saying so, when the model has no table", () => {
    const c = policyForBudget(undefined, 0.3, FALLBACK);
    expect(c.policy).toEqual(FALLBACK);
    expect(c.note).toMatch(/no budget table/);
  });

  it("budgetTable: each row's threshold keeps the measured advisories within its budget, stricter for smaller budgets", () => {
    const rand = mulberry32(7);
    const outcomes: StayOutcome[] = [];
    const scores = Array.from({ length: 200 }, (_, i) => {
      const died = i % 7 === 0;
      outcomes.push({ died, deathHours: died ? 100 : Number.NaN, days: 2 });
      let x = rand() * 0.3 + (died ? 0.2 : 0);
      return Float32Array.from({ length: 48 }, () => (x = Math.min(1, Math.max(0, x + (rand() - 0.5) * 0.1))));
    });
    const table = budgetTable(scores, outcomes, 1, [0.1, 0.3, 1, 3]);
    for (const r of table) {
      const fig = alertFigures(scores.map((s) => episodes(s, { threshold: r.threshold, clearBelow: r.threshold * 0.85 })), outcomes, 1);
      expect(fig.alertsPerPatientDay).toBeLessThanOrEqual(r.budget);
      expect(r.validationPerPatientDay).toBeLessThanOrEqual(r.budget);
    }
    const thresholds = table.map((r) => r.threshold);
    expect([...thresholds].sort((a, b) => b - a)).toEqual(thresholds);
    expect(thresholds[0]).toBeGreaterThan(thresholds[3]!);
  });

  it("the committed model carries a table, and the gateway takes its threshold from the configured budget", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vg-budget-"));
    const logs: string[] = [];
    const log: Logger = { log: (level, msg) => void logs.push(`${level} ${msg}`), child: () => log };
    const runnerFor = async (budget: number) => {
      const loaded = loadConfigText(`anomaly: { advisoryBudgetPerPatientDay: ${budget} }\n`, dir);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
      const clock = { now: () => 0, monotonic: () => 0 };
      return startAnomaly(loaded.config, clock, log, () => {}, () => false);
    };
    const meta = JSON.parse(readFileSync(packagePath("models", "vitals-risk", "metadata.json"), "utf8")) as { advisoryBudgets: BudgetRow[]; threshold: number };
    const row03 = meta.advisoryBudgets.find((r) => r.budget === 0.3)!;
    expect(row03.validationPerPatientDay).toBeLessThanOrEqual(0.3);
    expect(meta.threshold).toBe(row03.threshold); // the metadata's own threshold is the default budget's
    const quiet = await runnerFor(0.3);
    const loud = await runnerFor(2);
    expect(quiet.policy.threshold).toBe(row03.threshold);
    expect(loud.policy.threshold).toBe(meta.advisoryBudgets.find((r) => r.budget === 2)!.threshold);
    expect(loud.policy.threshold).toBeLessThan(quiet.policy.threshold);
    const defaults = loadConfigText("{}\n", dir);
    expect(defaults.ok && defaults.config.anomaly.advisoryBudgetPerPatientDay).toBe(0.3);
    expect(loadConfigText("anomaly: { advisoryBudgetPerPatientDay: 0 }\n", dir).ok).toBe(false);
  }, 60_000);
});
