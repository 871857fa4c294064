/**
 * Readings and alerts → one FHIR R4 transaction Bundle, following the HL7 FHIR Personal Health
 * Device IG (STU2): a PhgDevice for this gateway, a PhdDevice per sensor, a Patient per opaque
 * patient id (an identifier only: no name or other PHI leaves), vital-sign Observations (LOINC,
 * MDC, UCUM; blood pressure as a panel with components), and alerts as Flags (see flags.ts).
 * Pure: the caller reads the stores and writes the file.
 */
import type { Bundle, BundleEntry, Device, Patient, Resource } from "@medplum/fhirtypes";
import type { Alert, Reading } from "../../core/model.js";
import { BLUETOOTH_ADDRESS, CONTINUA_IDENTIFIERS, MDC, PHD_DEVICE, PHG_DEVICE } from "./codes.js";
import { alertFlag } from "./flags.js";
import { identifierQuery, localId, uuidFor, type Identifier } from "./ids.js";
import { observationsOf, type ExportRefs } from "./observations.js";

export interface ExportInput {
  readonly gatewayId: string;
  readonly readings: readonly Reading[];
  readonly alerts: readonly Alert[];
  /** The patient id the gateway's own technical alarms use (not a person). */
  readonly gatewayPatientId: string;
}

export interface ExportResult {
  readonly bundle: Bundle;
  /** Readings of vitals with no LOINC code (battery, RR interval…), by vital: not exported. */
  readonly skipped: Readonly<Record<string, number>>;
}

export function fhirBundle(input: ExportInput): ExportResult {
  const gateway = localId("gateway", input.gatewayId);
  const entries: BundleEntry[] = [create(uuidFor(`gateway:${input.gatewayId}`), phgDevice(gateway), gateway)];
  const devices = new Map<string, string>();
  const patients = new Map<string, string>();
  const deviceRef = (id: string) => lookup(devices, id, () => create(uuidFor(`device:${id}`), phdDevice(id, gateway), localId("device", id)), entries);
  const patientRef = (id: string) => lookup(patients, id, () => create(uuidFor(`patient:${id}`), patient(id), localId("patient", id)), entries);
  const refs: ExportRefs = { gateway: entries[0]!.fullUrl!, device: deviceRef, patient: patientRef };

  const { observations, skipped } = observationsOf(input.readings, refs);
  for (const { resource, identifier } of observations) entries.push(create(uuidFor(identifier.value), resource, identifier));
  for (const alert of input.alerts) {
    const subject = alert.patientId === input.gatewayPatientId ? { reference: refs.gateway } : { reference: patientRef(alert.patientId) };
    const { resource, identifier } = alertFlag(alert, subject, refs.gateway);
    // PUT by identifier: an alert changes state (acknowledged, resolved); the latest export wins.
    entries.push({ fullUrl: uuidFor(identifier.value), resource, request: { method: "PUT", url: `Flag?${identifierQuery(identifier)}` } });
  }
  return { bundle: { resourceType: "Bundle", type: "transaction", entry: entries }, skipped };
}

/** Created once: POST with ifNoneExist on its identifier (a re-export changes nothing). */
function create(fullUrl: string, resource: Resource, identifier: Identifier): BundleEntry {
  return { fullUrl, resource, request: { method: "POST", url: resource.resourceType, ifNoneExist: identifierQuery(identifier) } };
}

function lookup(seen: Map<string, string>, id: string, make: () => BundleEntry, entries: BundleEntry[]): string {
  let url = seen.get(id);
  if (url === undefined) {
    const entry = make();
    entries.push(entry);
    url = entry.fullUrl!;
    seen.set(id, url);
  }
  return url;
}

function phgDevice(id: Identifier): Device {
  return {
    resourceType: "Device",
    meta: { profile: [PHG_DEVICE] },
    identifier: [id],
    type: { coding: [{ system: MDC, code: "531981", display: "MDC_MOC_VMS_MDS_AHD" }] },
    manufacturer: "vitals-gateway (open source)",
    deviceName: [{ name: "vitals-gateway", type: "model-name" }],
  };
}

/** A sensor. A 12-hex-digit id is its Bluetooth address (how BLE devices are named here). */
function phdDevice(deviceId: string, gateway: Identifier): Device {
  const bt = /^[0-9a-f]{12}$/i.test(deviceId) ? deviceId.toUpperCase().match(/../g)!.join("-") : undefined;
  return {
    resourceType: "Device",
    meta: { profile: [PHD_DEVICE] },
    identifier: [
      localId("device", deviceId),
      ...(bt ? [{ type: { coding: [{ system: CONTINUA_IDENTIFIERS, code: "BTMAC" }] }, system: BLUETOOTH_ADDRESS, value: bt }] : []),
    ],
    type: { coding: [{ system: MDC, code: "65573", display: "MDC_MOC_VMS_MDS_SIMP" }] },
    note: [{ text: `connected through gateway ${gateway.value}` }],
  };
}

function patient(id: string): Patient {
  return { resourceType: "Patient", identifier: [localId("patient", id)] };
}
