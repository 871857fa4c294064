import { resolve } from "node:path";
import { formatProblems, loadConfigFile } from "../config/load.js";
import { UsageError } from "./args.js";

/** The data directory a command works on: --data-dir, else the config's dataDir, else ./vitals-data. */
export function dataDirFrom(flag: string | undefined, configFile: string | undefined): string {
  if (flag !== undefined) return resolve(flag);
  if (configFile === undefined) return resolve("vitals-data");
  const loaded = loadConfigFile(configFile);
  if (!loaded.ok) throw new UsageError(formatProblems(configFile, loaded.problems));
  return loaded.config.dataDir;
}
