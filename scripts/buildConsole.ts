/**
 * Bundles the nurse console (src/console/, TypeScript) into dist/console/console.js with esbuild:
 * one self-contained ES module, no third-party code at run time, served by the gateway under its
 * `default-src 'self'` CSP. `npm run build` runs it after tsc; tests call `buildConsole()` directly.
 * The file is written whole, then renamed: a gateway never serves half a bundle.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { CONSOLE_BUNDLE_DIR } from "../src/adapters/http/server.js";
import { packagePath } from "../src/packageRoot.js";

export const CONSOLE_ENTRY = packagePath("src", "console", "main.ts");
export const CONSOLE_OUT_DIR = CONSOLE_BUNDLE_DIR;

export async function buildConsole(outDir = CONSOLE_OUT_DIR): Promise<{ file: string; bytes: number }> {
  const result = await build({
    entryPoints: [CONSOLE_ENTRY],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["chrome110", "firefox110", "safari16"],
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error("esbuild produced no output for the console");
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "console.js");
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, file);
  return { file, bytes: code.length };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { file, bytes } = await buildConsole();
  process.stdout.write(`console: ${file} (${bytes} bytes)\n`);
}
