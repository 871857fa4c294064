/**
 * Readings → vital-sign Observations. Blood pressure parts measured together (same device,
 * patient and time) become one panel (85354-9) with a component each, as the R4 bp profile and
 * the PHD IG's compound observation have it. A lone part (the demo's monitors send systolic only)
 * stays a plain Observation with its own code: a panel must not claim a diastolic it lacks.
 */
import type { Observation, ObservationComponent } from "@medplum/fhirtypes";
import type { Reading, Vital } from "../../core/model.js";
import { BP_PANEL, BP_PARTS, BP_PROFILE, codingsOf, GATEWAY_EXTENSION, isVitalSign, LOINC, MDC, OBSERVATION_CATEGORY, PHD_COMPOUND, PHD_NUMERIC, UCUM, VITAL_SIGNS_PROFILE } from "./codes.js";
import { observationIdentifier, type Identifier } from "./ids.js";

export interface ExportRefs {
  readonly gateway: string;
  device(id: string): string;
  patient(id: string): string;
}

export interface ExportedObservation {
  readonly resource: Observation;
  readonly identifier: Identifier;
}

export function observationsOf(readings: readonly Reading[], refs: ExportRefs): { observations: ExportedObservation[]; skipped: Record<string, number> } {
  const skipped: Record<string, number> = {};
  const observations: ExportedObservation[] = [];
  const bpGroups = new Map<string, Reading[]>();
  for (const r of readings) {
    if (codingsOf(r.vital).length === 0) {
      skipped[r.vital] = (skipped[r.vital] ?? 0) + 1;
    } else if (BP_PARTS.includes(r.vital)) {
      const key = `${r.deviceId}\u0000${r.patientId}\u0000${r.time}`;
      bpGroups.set(key, [...(bpGroups.get(key) ?? []), r]);
    } else {
      observations.push(single(r, refs));
    }
  }
  for (const parts of bpGroups.values()) {
    const hasBoth = parts.some((p) => p.vital === "systolic_bp") && parts.some((p) => p.vital === "diastolic_bp");
    if (hasBoth) observations.push(panel(parts, refs));
    else for (const p of parts) observations.push(single(p, refs));
  }
  return { observations, skipped };
}

function single(r: Reading, refs: ExportRefs): ExportedObservation {
  const codings = codingsOf(r.vital);
  const identifier = observationIdentifier(r.deviceId, r.patientId, primaryCode(r.vital), r.time, [r.value]);
  const profile = isVitalSign(r.vital) ? [VITAL_SIGNS_PROFILE, PHD_NUMERIC] : [PHD_NUMERIC];
  return { identifier, resource: { ...common(r, refs, identifier, profile), code: { coding: codings }, valueQuantity: quantity(r) } };
}

function panel(parts: readonly Reading[], refs: ExportRefs): ExportedObservation {
  const first = parts[0]!;
  const ordered = BP_PARTS.flatMap((v) => parts.filter((p) => p.vital === v).slice(0, 1));
  const identifier = observationIdentifier(first.deviceId, first.patientId, BP_PANEL.mdc, first.time, ordered.map((p) => p.value));
  const component: ObservationComponent[] = ordered.map((p) => ({ code: { coding: codingsOf(p.vital) }, valueQuantity: quantity(p) }));
  return {
    identifier,
    resource: {
      ...common(first, refs, identifier, [VITAL_SIGNS_PROFILE, BP_PROFILE, PHD_COMPOUND]),
      code: { coding: [{ system: LOINC, code: BP_PANEL.loinc, display: BP_PANEL.display }, { system: MDC, code: BP_PANEL.mdc, display: BP_PANEL.mdcDisplay }] },
      component,
    },
  };
}

function common(r: Reading, refs: ExportRefs, identifier: Identifier, profile: string[]): Omit<Observation, "code"> {
  return {
    resourceType: "Observation",
    meta: { profile },
    extension: [{ url: GATEWAY_EXTENSION, valueReference: { reference: refs.gateway } }],
    identifier: [identifier],
    status: "final",
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: "vital-signs", display: "Vital Signs" }] }],
    subject: { reference: refs.patient(r.patientId) },
    effectiveDateTime: new Date(r.time).toISOString(),
    device: { reference: refs.device(r.deviceId) },
    // A device without its own clock is timed at receipt (quality flag receipt_time): say so.
    ...(r.quality.includes("receipt_time") ? { note: [{ text: "time of receipt by the gateway (the sensor sent no timestamp)" }] } : {}),
  };
}

function quantity(r: Reading) {
  return { value: r.value, unit: r.unit, system: UCUM, code: r.unit };
}

function primaryCode(vital: Vital): string {
  const codings = codingsOf(vital);
  return (codings.find((c) => c.system === MDC) ?? codings[0]!).code;
}
