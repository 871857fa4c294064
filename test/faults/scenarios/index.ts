/** The scenarios, in the order they run; each is one module. */
import type { SuiteOptions } from "../options.js";
import type { ScenarioResult } from "../report.js";
import { bleLoss } from "./bleLoss.js";
import { brokerFaults } from "./brokerFaults.js";
import { diskFull } from "./diskFull.js";
import { fuzz } from "./fuzz.js";
import { killRounds } from "./killRounds.js";
import { security } from "./security.js";

export const SCENARIOS: Record<string, (o: SuiteOptions) => Promise<ScenarioResult>> = {
  kill: killRounds,
  broker: brokerFaults,
  disk: diskFull,
  fuzz,
  security,
  ble: bleLoss,
};
