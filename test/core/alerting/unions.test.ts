/**
 * Each `as const` list names exactly the members of its union (checked by tsc in `npm run check`,
 * and at run time for uniqueness), so a new member cannot be added to one and forgotten in the other.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { ALARM_EFFECTS, ALARM_INPUTS, type AlarmEffect, type AlarmInput } from "../../../src/core/alarms/stateMachine.js";
import { ALERTING_INPUTS, type AlertingInput } from "../../../src/core/alerting/alerting.js";
import { ALERT_EVENT_TYPES, AUDIT_TYPES, REJECT_REASONS, SUPPRESS_REASONS, type AlertEvent, type AuditType, type RejectReason, type SuppressReason } from "../../../src/core/alerting/events.js";
import { CLINICAL_INPUTS, type ClinicalInput } from "../../../src/core/alerting/patientAlerting.js";
import { TARGETS, type Target } from "../../../src/core/alerting/persistence.js";
import { ARTIFACT_REASONS, DROP_REASONS, QUALITY_VERDICTS, type ArtifactReason, type DropReason, type GateResult } from "../../../src/core/rules/quality.js";
import { BREAK_REASONS, type BreakReason, type VerifyResult } from "../../../src/core/audit/chain.js";

describe("code and state unions", () => {
  it("lists match their unions", () => {
    expectTypeOf<(typeof ALARM_INPUTS)[number]>().toEqualTypeOf<AlarmInput["type"]>();
    expectTypeOf<(typeof ALARM_EFFECTS)[number]>().toEqualTypeOf<AlarmEffect>();
    expectTypeOf<(typeof ALERTING_INPUTS)[number]>().toEqualTypeOf<AlertingInput["type"]>();
    expectTypeOf<(typeof ALERT_EVENT_TYPES)[number]>().toEqualTypeOf<AlertEvent["type"]>();
    expectTypeOf<(typeof AUDIT_TYPES)[number]>().toEqualTypeOf<AuditType>();
    expectTypeOf<(typeof REJECT_REASONS)[number]>().toEqualTypeOf<Extract<AlertEvent, { type: "reject" }>["reason"]>();
    expectTypeOf<(typeof SUPPRESS_REASONS)[number]>().toEqualTypeOf<SuppressReason>();
    expectTypeOf<RejectReason>().toEqualTypeOf<(typeof REJECT_REASONS)[number]>();
    expectTypeOf<(typeof CLINICAL_INPUTS)[number]>().toEqualTypeOf<ClinicalInput["type"]>();
    expectTypeOf<(typeof TARGETS)[number]>().toEqualTypeOf<Target["type"]>();
    expectTypeOf<(typeof QUALITY_VERDICTS)[number]>().toEqualTypeOf<GateResult["verdict"]>();
    expectTypeOf<ArtifactReason>().toEqualTypeOf<Extract<GateResult, { verdict: "artifact" }>["reason"]>();
    expectTypeOf<DropReason>().toEqualTypeOf<(typeof DROP_REASONS)[number]>();
    expectTypeOf<(typeof BREAK_REASONS)[number]>().toEqualTypeOf<Extract<VerifyResult, { ok: false }>["reason"]>();
    expectTypeOf<BreakReason>().toEqualTypeOf<(typeof BREAK_REASONS)[number]>();
    for (const list of [ALARM_INPUTS, ALARM_EFFECTS, ALERTING_INPUTS, ALERT_EVENT_TYPES, AUDIT_TYPES, REJECT_REASONS, CLINICAL_INPUTS, TARGETS, QUALITY_VERDICTS, ARTIFACT_REASONS, DROP_REASONS, BREAK_REASONS]) {
      expect(new Set(list).size).toBe(list.length);
    }
  });
});
