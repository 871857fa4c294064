/**
 * The first rule: a vital outside its configured limits raises a physiological alert, once per
 * cause, and reports when the condition clears (the alert itself latches until a nurse
 * acknowledges it — DESIGN §5; the caller decides). Values below `artifactBelow` are sensor
 * artifacts (SpO2 0 = probe off) and never alarm. Runs on one patient's ordered readings.
 */
import { mergeMap, type OperatorFunction } from "rxjs";
import type { Clock } from "../../ports/clock.js";
import type { Alert, Reading, Vital } from "../model.js";
import { toCanonical } from "../units.js";

export interface ThresholdLimits {
  readonly low?: number;
  readonly high?: number;
  readonly artifactBelow?: number;
}

export interface ThresholdRules {
  readonly ruleSetVersion: string;
  readonly thresholds: Readonly<Partial<Record<Vital, ThresholdLimits>>>;
}

export type ThresholdEvent =
  | { readonly type: "raise"; readonly alert: Alert }
  | { readonly type: "clear"; readonly patientId: string; readonly cause: string; readonly alertId: string; readonly reading: Reading };

/** `rules` is read per reading so a reloaded config applies at once; `newId` gives UUIDv7s. */
export function thresholdAlerts(rules: () => ThresholdRules, clock: Clock, newId: () => string): OperatorFunction<Reading, ThresholdEvent> {
  return (readings) => {
    const open = new Map<string, string>(); // cause → alert id, for this patient
    return readings.pipe(
      mergeMap((r): ThresholdEvent[] => {
        const { thresholds, ruleSetVersion } = rules();
        const limits = thresholds[r.vital];
        const value = toCanonical(r.vital, r.value, r.unit);
        if (!limits || value === undefined || !Number.isFinite(value)) return [];
        if (limits.artifactBelow !== undefined && value < limits.artifactBelow) return [];
        const side = limits.low !== undefined && value < limits.low ? "low" : limits.high !== undefined && value > limits.high ? "high" : undefined;
        const events: ThresholdEvent[] = [];
        for (const s of ["low", "high"] as const) {
          const cause = `threshold:${r.vital}:${s}`;
          const alertId = open.get(cause);
          if (s !== side && alertId !== undefined) {
            open.delete(cause);
            events.push({ type: "clear", patientId: r.patientId, cause, alertId, reading: r });
          }
        }
        if (side === undefined) return events;
        const cause = `threshold:${r.vital}:${side}`;
        if (open.has(cause)) return events;
        const id = newId();
        open.set(cause, id);
        const limit = side === "low" ? limits.low : limits.high;
        events.push({
          type: "raise",
          alert: {
            id,
            patientId: r.patientId,
            kind: "physiological",
            priority: "high",
            cause,
            message: `${r.vital.replace(/_/g, " ")} ${r.value} ${r.unit} is ${side === "low" ? "below" : "above"} the limit ${limit}`,
            state: "active",
            ruleSetVersion,
            inputs: [{ vital: r.vital, value: r.value, unit: r.unit, time: r.time, deviceId: r.deviceId }],
            raisedAt: clock.now(),
            raisedAtMonotonic: clock.monotonic(),
          },
        });
        return events;
      }),
    );
  };
}
