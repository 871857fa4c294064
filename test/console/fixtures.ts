/** Builders for console unit tests: readings, alerts and server messages as the gateway sends them. */
import type { Alert, Reading, Vital } from "../../src/core/model.js";
import type { ClinicalState, ServerMessage } from "../../src/adapters/ws/messages.js";

export const reading = (patientId: string, vital: Vital, value: number, time: number, extra: Partial<Reading> = {}): Reading => ({
  patientId, deviceId: "dev", vital, value, unit: vital === "spo2" ? "%" : vital === "systolic_bp" ? "mm[Hg]" : "/min", time, receivedAt: time, quality: [], ...extra,
});

export const alert = (id: string, patientId: string, priority: Alert["priority"], state: Alert["state"] = "active", raisedAt = 1000): Alert => ({
  id, patientId, kind: "physiological", priority, cause: `cause:${id}`, message: `alarm ${id}`, state, ruleSetVersion: "t", inputs: [], raisedAt, raisedAtMonotonic: raisedAt,
});

export const clinical = (total: number, extra: Partial<ClinicalState> = {}): ClinicalState => ({
  news2: { total, subscores: { respiratory_rate: total }, missing: ["consciousness"], band: total >= 7 ? "high" : "low", redScore: total >= 3 },
  scale: 1,
  ...extra,
});

export const snapshot = (alerts: Alert[] = [], patients = ["p1", "p2", "p3"]): ServerMessage => ({
  type: "snapshot",
  patients: patients.map((id, i) => ({ id, label: `Bed ${i + 1}`, latest: [], clinical: clinical(0) })),
  alerts,
});
