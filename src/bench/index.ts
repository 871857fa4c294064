/** Every benchmark `vitals-gateway bench` runs, in order. Add one line per bench file. */
import type { Bench } from "./bench.js";

export const BENCHES: readonly (() => Promise<Bench>)[] = [
  async () => (await import("./ingestSideBySide.js")).ingestSideBySideBench,
  async () => (await import("./ingestToSqlite.js")).ingestToSqliteBench,
  async () => (await import("./alertLatency.js")).alertLatencyBench,
  async () => (await import("./decode.js")).decodeBench,
  async () => (await import("./rules.js")).rulesBench,
  async () => (await import("./anomaly.js")).anomalyBench,
  async () => (await import("./upstream.js")).upstreamBench,
  async () => (await import("./sessionSweep.js")).sessionSweepBench,
  async () => (await import("./consoles.js")).consolesBench,
  async () => (await import("./soak.js")).soakBench,
];
