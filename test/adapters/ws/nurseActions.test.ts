/** A nurse's WebSocket action as an alerting input: who, from where, and which patient. */
import { describe, expect, it } from "vitest";
import type { Principal } from "../../../src/adapters/sqlite/tokenStore.js";
import { toAlertingInput } from "../../../src/adapters/ws/nurseActions.js";

const nurse: Principal = { tokenId: "t1", name: "nurse-3", role: "nurse" };
const alerts = new Map([["a-1", "p1"]]);
const patientOfAlert = (id: string) => alerts.get(id);
const isPatient = (id: string) => id === "p1";

describe("toAlertingInput", () => {
  it("takes a clinical input for a configured patient, with who and from where", () => {
    expect(toAlertingInput({ type: "clinical", patientId: "p1", input: { type: "acvpu", value: "V" } }, nurse, "10.0.0.7", patientOfAlert, isPatient)).toEqual({
      type: "clinical",
      patientId: "p1",
      input: { type: "acvpu", value: "V", actor: { user: "nurse-3", role: "nurse", client: "10.0.0.7" } },
    });
  });

  it("refuses a clinical input for a patient that is not configured", () => {
    expect(toAlertingInput({ type: "clinical", patientId: "p-typo", input: { type: "oxygen", onOxygen: true } }, nurse, "10.0.0.7", patientOfAlert, isPatient)).toEqual({
      refused: "no patient with id 'p-typo'",
    });
  });

  it("finds the patient of an acknowledged alert, and refuses an unknown alert", () => {
    expect(toAlertingInput({ type: "ack", alertId: "a-1" }, nurse, "c", patientOfAlert, isPatient)).toMatchObject({ type: "ack", patientId: "p1", alertId: "a-1" });
    expect(toAlertingInput({ type: "ack", alertId: "a-9" }, nurse, "c", patientOfAlert, isPatient)).toEqual({ refused: "no alert with id 'a-9'" });
  });

  it("lets only a clinician or admin set the SpO2 scale", () => {
    const scale2 = { type: "clinical", patientId: "p1", input: { type: "spo2_scale", scale: 2 } } as const;
    expect(toAlertingInput(scale2, nurse, "c", patientOfAlert, isPatient)).toEqual({ refused: "only a clinician may set the SpO2 scale" });
    expect(toAlertingInput(scale2, { ...nurse, role: "clinician" }, "c", patientOfAlert, isPatient)).toMatchObject({ type: "clinical", input: { type: "spo2_scale", scale: 2 } });
  });
});
