import { resolve } from "node:path";
import { TokenStore, isRole, ROLES } from "../adapters/sqlite/tokenStore.js";
import { parseFlags, UsageError, withUsage } from "./args.js";
import { dataDirFrom } from "./dataDir.js";

const USAGE = `usage: vitals-gateway token create --role ${ROLES.join("|")} [--name NAME] [--data-dir DIR] [--config FILE]`;

/** Prints a new access token once; only its hash is stored (auth.db in the data directory). */
export function run(args: string[]): Promise<number> {
  return withUsage(USAGE, () => {
    const { values, positionals } = parseFlags(
      args,
      { role: { type: "string" }, name: { type: "string" }, "data-dir": { type: "string" }, config: { type: "string" } },
      true,
    );
    if (positionals[0] !== "create" || positionals.length !== 1) throw new UsageError("expected: token create");
    const role = values.role;
    if (role === undefined || !isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
    const dataDir = dataDirFrom(values["data-dir"], values.config);
    const store = new TokenStore(resolve(dataDir, "auth.db"), Date.now);
    try {
      const { id, token } = store.createToken(role, values.name ?? role);
      process.stdout.write(`${token}\n`);
      process.stderr.write(`token ${id} (${role}) created in ${dataDir}; it is shown only once\n`);
      return Promise.resolve(0);
    } finally {
      store.close();
    }
  });
}
