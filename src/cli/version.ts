/** `vitals-gateway version` / `--version`: the release, Node, and the schema versions this build writes. */
import { readFileSync } from "node:fs";
import { LATER_MIGRATIONS } from "../adapters/sqlite/migrations.js";
import { packagePath } from "../packageRoot.js";

export function versionText(): string {
  const pkg = JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string };
  const schemas = Object.entries(LATER_MIGRATIONS)
    .map(([file, later]) => `${file} v${1 + later.length}`)
    .join(", ");
  return `vitals-gateway ${pkg.version} (node ${process.versions.node}; database schemas: ${schemas})\n`;
}

export function run(): Promise<number> {
  process.stdout.write(versionText());
  return Promise.resolve(0);
}
