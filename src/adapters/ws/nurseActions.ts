/**
 * A nurse's WebSocket action, from an authenticated principal, as an input of the alerting
 * engine. The engine decides (roles, states) and audits; this only adds who, from where, and
 * which patient an alert belongs to.
 */
import type { AlertingInput } from "../../core/alerting/alerting.js";
import type { Principal } from "../sqlite/tokenStore.js";
import type { NurseAction } from "./messages.js";

export function toAlertingInput(
  action: NurseAction,
  who: Principal,
  client: string,
  patientOfAlert: (alertId: string) => string | undefined,
  isPatient: (patientId: string) => boolean,
): AlertingInput | { readonly refused: string } {
  const actor = { user: who.name, role: who.role, client };
  switch (action.type) {
    case "ack":
    case "pause": {
      const patientId = patientOfAlert(action.alertId);
      if (patientId === undefined) return { refused: `no alert with id '${action.alertId}'` };
      if (action.type === "ack") return { type: "ack", patientId, alertId: action.alertId, actor };
      const { alertId, kind, durationMs } = action;
      return { type: "pause", patientId, request: { alertId, kind, actor, ...(durationMs === undefined ? {} : { durationMs }) } };
    }
    case "clinical": {
      const input = action.input;
      // Only configured patients: an unknown id would start an engine (and audit entries) for nobody.
      if (!isPatient(action.patientId)) return { refused: `no patient with id '${action.patientId}'` };
      // RCP 2017: Scale 2 is a clinician's documented decision, never a nurse's or a default.
      if (input.type === "spo2_scale" && who.role !== "clinician" && who.role !== "admin") return { refused: "only a clinician may set the SpO2 scale" };
      switch (input.type) {
        case "acvpu":
          return { type: "clinical", patientId: action.patientId, input: { type: "acvpu", value: input.value, actor } };
        case "oxygen":
          return { type: "clinical", patientId: action.patientId, input: { type: "oxygen", onOxygen: input.onOxygen, actor } };
        case "spo2_scale":
          return { type: "clinical", patientId: action.patientId, input: { type: "spo2_scale", scale: input.scale, actor, ...(input.reason === undefined ? {} : { reason: input.reason }) } };
        default:
          return input satisfies never;
      }
    }
    default:
      return action satisfies never;
  }
}
