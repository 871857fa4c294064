import { formatProblems, loadConfigFile } from "../config/load.js";
import { parseFlags, UsageError, withUsage } from "./args.js";

export const USAGE = "usage: vitals-gateway check-config FILE";

/** Exit 0 if FILE is valid, 2 with every problem listed (path and line) if not. */
export function run(args: string[]): Promise<number> {
  return withUsage(USAGE, () => {
    const { positionals } = parseFlags(args, {}, true);
    const [file] = positionals;
    if (file === undefined || positionals.length > 1) throw new UsageError("check-config takes exactly one FILE");
    const result = loadConfigFile(file);
    if (!result.ok) {
      process.stderr.write(`${formatProblems(file, result.problems)}\n${result.problems.length} problem(s); nothing applied\n`);
      return Promise.resolve(2);
    }
    process.stdout.write(`${file}: ok (${result.config.patients.length} patients, ${result.config.devices.length} devices)\n`);
    return Promise.resolve(0);
  });
}
