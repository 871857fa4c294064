/**
 * Runs `evaluate` once per patient, each on its own ordered stream of that patient's readings,
 * so one patient's state (open alerts, persistence timers) never sees another's.
 */
import { groupBy, mergeMap, type Observable, type OperatorFunction } from "rxjs";
import type { Reading } from "../model.js";

export function perPatient<R>(evaluate: (patientId: string, readings: Observable<Reading>) => Observable<R>): OperatorFunction<Reading, R> {
  return (readings) =>
    readings.pipe(
      groupBy((r) => r.patientId),
      mergeMap((group) => evaluate(group.key, group)),
    );
}
