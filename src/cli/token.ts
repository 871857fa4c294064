import { resolve } from "node:path";
import { TokenStore } from "../adapters/sqlite/tokenStore.js";
import { isRole, ROLES } from "../core/roles.js";
import { parseFlags, UsageError, withUsage } from "./args.js";
import { dataDirFrom } from "./dataDir.js";

const WHERE = "[--data-dir DIR] [--config FILE]";
const USAGE = `usage: vitals-gateway token create --role ${ROLES.join("|")} [--name NAME] ${WHERE}
       vitals-gateway token list ${WHERE}
       vitals-gateway token revoke ID ${WHERE}`;

/**
 * Access tokens in auth.db: `create` prints a new one once (only its hash is stored), `list`
 * shows ids, names and roles (never a secret), `revoke` ends a token and every console session
 * opened with it.
 */
export function run(args: string[]): Promise<number> {
  return withUsage(USAGE, () => {
    const { values, positionals } = parseFlags(
      args,
      { role: { type: "string" }, name: { type: "string" }, "data-dir": { type: "string" }, config: { type: "string" } },
      true,
    );
    const [verb, ...rest] = positionals;
    if (verb !== "create" && verb !== "list" && verb !== "revoke") throw new UsageError("expected: token create | list | revoke ID");
    if ((verb === "revoke") !== (rest.length === 1) || rest.length > 1) throw new UsageError(verb === "revoke" ? "token revoke takes one ID" : `token ${verb} takes no arguments`);
    const dataDir = dataDirFrom(values["data-dir"], values.config);
    const store = new TokenStore(resolve(dataDir, "auth.db"), Date.now);
    try {
      switch (verb) {
        case "create": {
          const role = values.role;
          if (role === undefined || !isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
          const { id, token } = store.createToken(role, values.name ?? role);
          process.stdout.write(`${token}\n`);
          process.stderr.write(`token ${id} (${role}) created in ${dataDir}; it is shown only once\n`);
          return Promise.resolve(0);
        }
        case "list":
          for (const t of store.list()) {
            const state = t.revokedAt !== null ? "revoked" : t.kind === "login_code" ? (t.usedAt !== null ? "used" : "login link") : "active";
            process.stdout.write(`${t.id}  ${t.role.padEnd(9)} ${state.padEnd(10)} ${new Date(t.createdAt).toISOString()}  ${t.name}\n`);
          }
          return Promise.resolve(0);
        case "revoke": {
          const id = rest[0] ?? "";
          if (!store.revoke(id)) {
            process.stderr.write(`token revoke: no active token with id '${id}' in ${dataDir}\n`);
            return Promise.resolve(1);
          }
          process.stderr.write(`token ${id} revoked; its open consoles are signed out within a second\n`);
          return Promise.resolve(0);
        }
        default:
          return verb satisfies never;
      }
    } finally {
      store.close();
    }
  });
}
