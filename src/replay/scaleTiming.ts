/**
 * The engine's waiting times cut by the replay speed, so a recording played N× faster meets the
 * rules exactly as it would live: every `…Ms` under `alerting` (persistence, link grace, rate
 * limits, escalation, pause, quality dropout/flatline/maxAge, ACVPU age) and the model's step are
 * divided by N; a plausibility rate (`maxJump.perMinute`) is multiplied by N, since N recorded
 * minutes pass in one wall minute. Times that are not about the patient (storage batching, BLE
 * back-off, the model's compute budget, sessions) stay as they are.
 */
import type { GatewayConfig } from "../config/types.js";

/** What `anomaly.stepMs: 0` means: the model's own step, one hour (src/core/anomaly/configSchema.json). */
const MODEL_STEP_MS = 3_600_000;

/** `inMs`: below a `…Ms` object (e.g. `raiseMs: { high, medium, low }`) every number is a time. */
function scaleTree(value: unknown, speed: number, key = "", inMs = false): unknown {
  const isTime = inMs || key.endsWith("Ms");
  if (typeof value === "number") {
    // ≥ 1 ms: 0 means "off/immediate" in places and must stay 0, but a real wait must not become 0.
    if (isTime) return value === 0 ? 0 : Math.max(1, Math.round(value / speed));
    if (key === "perMinute") return value * speed;
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => scaleTree(v, speed, "", isTime));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scaleTree(v, speed, k, isTime)]));
  }
  return value;
}

export function scaleTiming(config: GatewayConfig, speed: number): GatewayConfig {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  return {
    ...config,
    alerting: scaleTree(config.alerting, speed) as GatewayConfig["alerting"],
    anomaly: { ...config.anomaly, stepMs: Math.max(1, Math.round((config.anomaly.stepMs || MODEL_STEP_MS) / speed)) },
  };
}
