/**
 * Tells the consoles when a patient's NEWS2 or nurse entries change (a `clinical` message), and
 * only then: checked after each reading and entry, and on a slow tick because a value going stale
 * changes what NEWS2 can score without any reading arriving.
 */
import type { ClinicalState } from "../../core/alerting/clinicalState.js";
import type { ServerMessage } from "./messages.js";

export interface ClinicalFeed {
  /** Sends the patient's state if it differs from the last one sent. */
  check(patientId: string): void;
}

export function clinicalFeed(stateOf: (patientId: string) => ClinicalState, send: (m: Extract<ServerMessage, { type: "clinical" }>) => void): ClinicalFeed {
  const lastSent = new Map<string, string>();
  return {
    check(patientId) {
      const clinical = stateOf(patientId);
      const text = JSON.stringify(clinical);
      if (lastSent.get(patientId) === text) return;
      lastSent.set(patientId, text);
      send({ type: "clinical", patientId, clinical });
    },
  };
}
