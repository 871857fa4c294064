/**
 * Restart time (issue 9): loading the gateway's modules must not load TensorFlow.js or node-ble;
 * they are loaded when the model opens and when the first BLE session starts. Checked in a fresh
 * node (from the sources through tsx) by looking at which CommonJS modules were loaded.
 * (The session is not closed: closing a session whose bus never connected segfaults in dbus-next,
 * before this change too; reported to the BLE work.)
 */
import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";
import { packagePath } from "../../src/packageRoot.js";

const loadedAfter = (imports: string): string[] => {
  const script = `${imports}; const { createRequire } = await import("node:module"); console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache))); process.exit(0);`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: packagePath(), encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop() ?? "[]") as string[];
};

it("importing the gateway loads neither TensorFlow.js nor node-ble", () => {
  const loaded = loadedAfter(`await import("./src/main.ts")`);
  expect(loaded.filter((f) => f.includes("/node_modules/better-sqlite3/")).length).toBeGreaterThan(0); // the probe sees CommonJS loads
  expect(loaded.filter((f) => /node_modules\/(@tensorflow|node-ble|dbus-next)\//.test(f))).toEqual([]);
}, 60_000);

it("opening the model loads TensorFlow.js, and a BLE session node-ble", () => {
  const loaded = loadedAfter(
    `const { openAnomalyModel } = await import("./src/adapters/tfjs/openModel.ts"); await openAnomalyModel("/nonexistent");` +
      `const { openSession } = await import("./src/adapters/ble/nodeBle.ts"); openSession("unix:path=/nonexistent/bus", () => {})`,
  );
  expect(loaded.some((f) => f.includes("/node_modules/@tensorflow/tfjs-core/"))).toBe(true);
  expect(loaded.some((f) => f.includes("/node_modules/node-ble/"))).toBe(true);
}, 60_000);
