/**
 * The fault-injection suite in short mode (5 kill rounds, 10k fuzz frames), as part of `npm test`:
 * every check of every scenario must pass. The checks are the promises of issue 9's "Done when";
 * they live in the scenarios (one source), so `npm run faults` and this test fail on the same thing.
 * It drives the built gateway, so it builds dist/ first (a stale build would test old code).
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packagePath } from "../../src/packageRoot.js";
import { killOwnedNow, releaseAll } from "./lib/owned.js";
import { SHORT } from "./options.js";
import { SCENARIOS } from "./scenarios/index.js";

beforeAll(() => {
  execFileSync(process.execPath, [packagePath("node_modules", "typescript", "bin", "tsc"), "-p", packagePath("tsconfig.build.json")], { stdio: "inherit" });
}, 180_000);
afterAll(killOwnedNow);

describe("fault injection (short mode)", () => {
  for (const [name, run] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      try {
        const result = await run(SHORT);
        if (result.skipped) console.warn(`faults ${name}: skipped: ${result.skipped}`);
        console.info(`faults ${name}: ${JSON.stringify(result.figures)}`);
        expect(result.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
      } finally {
        await releaseAll();
      }
    }, 900_000); // the broker scenario's bounded waits add up to about 10 min at worst
  }
});
