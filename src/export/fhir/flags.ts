/**
 * Alerts → Flags. Why not the PHD IG's DeviceAlert: DeviceAlert exists only from FHIR R6 (ballot),
 * not in R4, so an R4 server would reject it. Why not an Observation: an alarm is not a
 * measurement; a Flag is "a warning … presented to the user" about a subject, which is what a
 * nurse was shown. R4's flag-priority extension carries the IEC 60601-1-8 priority as PH / PM / PL;
 * the period runs from raise to resolution; the cause is a code of this gateway, the message the
 * text (it names vitals and scores, never a person). Technical alarms of the gateway itself have
 * the gateway's PhgDevice as subject.
 */
import type { Flag, Reference } from "@medplum/fhirtypes";
import type { Alert } from "../../core/model.js";
import { FLAG_CATEGORY, FLAG_PRIORITY, FLAG_PRIORITY_CODES, LOCAL } from "./codes.js";
import type { Identifier } from "./ids.js";

const PRIORITY = { high: ["PH", "High priority"], medium: ["PM", "Medium priority"], low: ["PL", "Low priority"] } as const;

export function alertFlag(alert: Alert, subject: Reference, gateway: string): { resource: Flag; identifier: Identifier } {
  const identifier = { system: "urn:ietf:rfc:3986", value: `urn:uuid:${alert.id}` };
  const [code, display] = PRIORITY[alert.priority];
  const resolved = alert.state === "resolved";
  return {
    identifier,
    resource: {
      resourceType: "Flag",
      identifier: [identifier],
      extension: [{ url: FLAG_PRIORITY, valueCodeableConcept: { coding: [{ system: FLAG_PRIORITY_CODES, code, display }] } }],
      status: resolved ? "inactive" : "active",
      category: [{ coding: [{ system: FLAG_CATEGORY, code: alert.kind === "technical" ? "admin" : "clinical" }], text: alert.kind }],
      code: { coding: [{ system: `${LOCAL}:alert-cause`, code: alert.cause }], text: alert.message },
      subject: subject as Flag["subject"],
      period: { start: new Date(alert.raisedAt).toISOString(), ...(resolved && alert.updatedAt !== undefined ? { end: new Date(alert.updatedAt).toISOString() } : {}) },
      author: { reference: gateway },
    },
  };
}
