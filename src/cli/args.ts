/** Tiny flag parser on node:util parseArgs, turning its errors into usage errors (exit 2). */
import { parseArgs, type ParseArgsConfig } from "node:util";

export class UsageError extends Error {}

export function parseFlags<T extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: T, positionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals: positionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Runs a command body, mapping UsageError to exit 2 with its message. */
export async function withUsage(usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n${usage}\n`);
      return 2;
    }
    throw e;
  }
}
