/**
 * The validated configuration, as the rest of the gateway sees it: derived from the generated
 * schema (src/config/gatewaySchema.ts, written by scripts/gen-config-schema.ts from the owners'
 * fragments), never written out by hand. `load.ts` fills every default.
 */
import type { FromSchema } from "./fromSchema.js";
import type { GATEWAY_SCHEMA } from "./gatewaySchema.js";

export type GatewayConfig = FromSchema<typeof GATEWAY_SCHEMA>;

/** One problem in a config file: a JSON path (`/devices/2/patient`) and what is wrong with it. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
  /** 1-based line in the YAML file, when known. */
  readonly line?: number;
}
