/**
 * Turns per-tick model outcomes into the gateway-wide technical alarm (DESIGN §5: loss of a
 * function the nurse relies on is a technical alarm). One slow or failed tick only marks that
 * tick's alerts "model unavailable"; `raiseAfter` consecutive failures raise the technical
 * condition, and the first good tick clears it. Pure.
 */
import type { ScoreResult } from "../../ports/anomalyModel.js";
import { modelUnavailableCondition, type TechnicalCondition } from "./advisory.js";

export interface ModelHealth {
  readonly consecutiveFailures: number;
  readonly alarmed: boolean;
}

export const HEALTHY: ModelHealth = { consecutiveFailures: 0, alarmed: false };

export interface HealthStep {
  readonly health: ModelHealth;
  /** Set on the tick the technical condition starts. */
  readonly raise?: TechnicalCondition;
  /** True on the tick the model recovers from an alarmed state. */
  readonly clear: boolean;
}

export function modelHealthStep(h: ModelHealth, r: Pick<ScoreResult, "status"> & { reason?: string }, raiseAfter = 3): HealthStep {
  if (r.status === "ok") return { health: HEALTHY, clear: h.alarmed };
  const consecutiveFailures = h.consecutiveFailures + 1;
  if (!h.alarmed && consecutiveFailures >= raiseAfter) {
    return { health: { consecutiveFailures, alarmed: true }, raise: modelUnavailableCondition(`${r.reason ?? "unknown"}; ${consecutiveFailures} ticks in a row`), clear: false };
  }
  return { health: { consecutiveFailures, alarmed: h.alarmed }, clear: false };
}
