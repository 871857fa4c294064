/**
 * Picks the TensorFlow.js backend: tfjs-node when its native addon loads (an optionalDependency
 * that cannot install offline or on a Pi, research/anomaly-detection.md §5.5), else wasm from the
 * binaries inside node_modules (no network; SIMD on, threads off in Node, §5.2).
 */
import * as tf from "@tensorflow/tfjs-core";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import * as path from "node:path";

export interface BackendInfo {
  readonly backend: string;
  /** Why tfjs-node was not used, when it was not. */
  readonly fallbackReason?: string;
}

export type NodeImporter = () => Promise<unknown>;

// A variable specifier keeps bundlers and tsc from resolving a package that is usually absent.
const TFJS_NODE = "@tensorflow/tfjs-node";
const defaultImporter: NodeImporter = () => import(TFJS_NODE);

let current: Promise<BackendInfo> | undefined;

/** Directory of the .wasm files, as a path with a trailing separator (setWasmPaths concatenates). */
export function wasmDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm")) + path.sep;
}

async function pick(importNode: NodeImporter, prefer: "auto" | "wasm"): Promise<BackendInfo> {
  let fallbackReason = "wasm requested";
  if (prefer === "auto") {
    try {
      await importNode();
      // tfjs-node registers "tensorflow" on the tfjs-core it resolved; a second copy of core would not see it.
      if (tf.findBackendFactory("tensorflow") && (await tf.setBackend("tensorflow"))) return { backend: "tensorflow" };
      fallbackReason = "tfjs-node loaded but its backend did not register with this tfjs-core";
    } catch (e) {
      // Not installed is the usual case (no prebuilt binary offline or on a Pi), not a fault: say so plainly.
      const missing = (e as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND";
      fallbackReason = missing ? "tfjs-node (optional) is not installed" : `tfjs-node not loadable: ${(e as Error).message.split("\n")[0]}`;
    }
  }
  // §5.3: a file path, not a URL, so fetch() is never asked for file://.
  setWasmPaths(wasmDir());
  if (!(await tf.setBackend("wasm"))) throw new Error("tfjs wasm backend failed to initialise");
  await tf.ready();
  return { backend: "wasm", fallbackReason };
}

/**
 * Initialises the backend once per process; later calls return the first result.
 * `importNode` is injectable so the fallback path is testable where tfjs-node does exist.
 */
export function initBackend(opts: { importNode?: NodeImporter; prefer?: "auto" | "wasm" } = {}): Promise<BackendInfo> {
  current ??= pick(opts.importNode ?? defaultImporter, opts.prefer ?? "auto");
  return current;
}

/** Test hook: forget the chosen backend so the next initBackend picks again. */
export function resetBackendChoice(): void {
  current = undefined;
}
