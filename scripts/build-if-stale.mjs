#!/usr/bin/env node
// `npm start`'s build step: compiles only when a source is newer than the last build, so a second
// start goes straight to the daemon (a full `tsc` here takes ~30 s on 2 cores, this check ~50 ms).
// `npm run build` is the same with --always. Plain JavaScript on purpose: it must run before anything is compiled. When it does build, tsc is
// incremental (dist/.tsbuildinfo) and recompiles only what changed.
import { spawnSync } from "node:child_process";
import process from "node:process";
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// Not tsc's own .tsbuildinfo: tsc leaves it untouched when a touched file compiles to the same output.
const stamp = join(root, "dist", ".build-stamp");
const inputs = ["src", "devices", "scripts", "tsconfig.json", "tsconfig.build.json", "package.json"]; // src/console too

function newest(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return /\.(ts|json)$/.test(path) ? info.mtimeMs : 0;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), 0);
}

const built = existsSync(stamp) && existsSync(join(root, "dist", "src", "cli", "entry.js")) ? statSync(stamp).mtimeMs : -1;
const changed = Math.max(...inputs.map((i) => join(root, i)).filter(existsSync).map(newest));
if (changed <= built && !process.argv.includes("--always")) process.exit(0);
process.stderr.write(built < 0 ? "building dist/ (first start: ~30 s)\n" : "sources changed: rebuilding dist/ (incremental)\n");
const started = new Date();
const tsc = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
// The nurse console: TypeScript in src/console, bundled by esbuild into dist/console (served offline).
const bundle = spawnSync(process.execPath, [join(root, "dist", "scripts", "buildConsole.js")], { stdio: "inherit" });
if (bundle.status !== 0) process.exit(bundle.status ?? 1);
writeFileSync(stamp, "");
utimesSync(stamp, started, started); // an edit made during the build still counts as newer

