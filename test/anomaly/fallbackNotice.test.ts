// Own file (own process under pool: forks): the backend choice is per process.
import { expect, it } from "vitest";
import { bleIngest } from "../../src/adapters/ble/startBle.js";
import { initBackend } from "../../src/adapters/tfjs/backend.js";
import { startAnomaly } from "../../src/adapters/tfjs/startAnomaly.js";
import { loadConfigText } from "../../src/config/load.js";
import type { Logger } from "../../src/ports/logger.js";
import { fixedClock } from "../helpers/frames.js";

function capture(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log: Logger = { log: (level, msg) => lines.push(`${level}: ${msg}`), child: () => log };
  return { log, lines };
}

it("an absent tfjs-node is said once, at info, with what the model runs on instead", async () => {
  const notInstalled = Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node'"), { code: "ERR_MODULE_NOT_FOUND" });
  expect(await initBackend({ importNode: () => Promise.reject(notInstalled) })).toEqual({ backend: "wasm", fallbackReason: "tfjs-node (optional) is not installed" });
  const loaded = loadConfigText("", "/tmp");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const { log, lines } = capture();
  await startAnomaly(loaded.config, fixedClock(), log, () => {}, () => false);
  expect(lines).toEqual(["info: anomaly model loaded on the wasm backend: tfjs-node (optional) is not installed; same model, slower scoring"]);
});

it("BLE switched off is said once, at info, with what carries the sensors instead", () => {
  const { log, lines } = capture();
  const loaded = loadConfigText("ble: { enabled: false }\n", "/tmp");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  bleIngest(loaded.config.ble, fixedClock(), log, () => {});
  expect(lines).toEqual(["info: BLE ingest off (ble.enabled: false): sensors arrive over MQTT only"]);
});
