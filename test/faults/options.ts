/** How a run is sized. Short mode (in `npm test`) and long mode (`npm run faults -- --rounds 100 --frames 1000000`). */
import { packagePath } from "../../src/packageRoot.js";

export interface SuiteOptions {
  /** The built CLI to drive (bin/vitals-gateway.js; another checkout's for before/after figures). */
  readonly bin: string;
  readonly rounds: number;
  readonly frames: number;
  readonly seed: number;
}

export const SHORT: SuiteOptions = { bin: packagePath("bin", "vitals-gateway.js"), rounds: 5, frames: 10_000, seed: 9 };
