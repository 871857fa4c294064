/**
 * Deterministic ids: the same reading, device or alert always yields the same identifier and the
 * same `urn:uuid:` fullUrl, so a re-export is recognised by the server (conditional create or
 * update by identifier) instead of duplicated.
 */
import { createHash } from "node:crypto";
import { LOCAL } from "./codes.js";

export interface Identifier {
  readonly system: string;
  readonly value: string;
}

/** A name-based UUID (SHA-256, version nibble 8 = "custom", RFC 9562) for bundle-internal references. */
export function uuidFor(name: string): string {
  const h = createHash("sha256").update(name).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const localId = (kind: "gateway" | "device" | "patient" | "observation", value: string): Identifier => ({ system: `${LOCAL}:${kind}`, value });

/** `identifier=system|value`, URL-encoded, for ifNoneExist and conditional update URLs. */
export const identifierQuery = (id: Identifier): string => `identifier=${encodeURIComponent(id.system)}|${encodeURIComponent(id.value)}`;

/**
 * The PHD IG's Observation identifier: the measuring device, the patient, the type code, the
 * time and the value(s), joined with "-". The same measurement exported twice gives the same one.
 */
export function observationIdentifier(deviceId: string, patientId: string, code: string, time: number, values: readonly number[]): Identifier {
  return localId("observation", [deviceId, patientId, code, new Date(time).toISOString(), ...values.map(String)].join("-"));
}
