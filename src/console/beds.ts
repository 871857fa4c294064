/**
 * Which bed needs a nurse first: beds ordered by their worst open alarm (priority, then an
 * unacknowledged one before one already being handled, then the one waiting longest), and one
 * alarm-queue row per bed with all its causes inside. Pure.
 */
import type { Alert, AlertPriority } from "../core/model.js";
import type { ConsoleState } from "./state.js";

const PRIORITY_RANK: Readonly<Record<AlertPriority, number>> = { high: 0, medium: 1, low: 2 };
/** Gateway-level conditions (no nurse console, model down, link down) have their own queue row. */
export const GATEWAY_PATIENT = "_gateway";

/** Lower is worse. An active (unacknowledged, sounding) alarm outranks a handled one of the same priority. */
export const severity = (a: Alert): number => PRIORITY_RANK[a.priority] * 2 + (a.state === "active" ? 0 : 1);

export interface BedRow {
  readonly patientId: string;
  readonly label: string;
  /** Worst first. */
  readonly alerts: readonly Alert[];
  readonly worst?: AlertPriority;
  /** Any alarm still active (not acknowledged or paused): it keeps sounding. */
  readonly unhandled: boolean;
}

export const byUrgency = (a: Alert, b: Alert): number => severity(a) - severity(b) || a.raisedAt - b.raisedAt;

/** Every bed (and the gateway when it has alarms), worst first; ties keep the configured order. */
export function bedRows(s: ConsoleState): BedRow[] {
  const byPatient = new Map<string, Alert[]>();
  for (const a of Object.values(s.alerts)) byPatient.set(a.patientId, [...(byPatient.get(a.patientId) ?? []), a]);
  const ids = [...s.order, ...[...byPatient.keys()].filter((id) => !s.order.includes(id))];
  const rows = ids.map((patientId): BedRow => {
    const alerts = (byPatient.get(patientId) ?? []).sort(byUrgency);
    const label = s.patients[patientId]?.label ?? (patientId === GATEWAY_PATIENT ? "Gateway" : patientId);
    return { patientId, label, alerts, ...(alerts[0] ? { worst: alerts[0].priority } : {}), unhandled: alerts.some((a) => a.state === "active") };
  });
  const rank = (r: BedRow) => (r.alerts[0] ? severity(r.alerts[0]) : 99);
  const waiting = (r: BedRow) => r.alerts[0]?.raisedAt ?? 0;
  return rows.map((r, i) => ({ r, i })).sort((x, y) => rank(x.r) - rank(y.r) || waiting(x.r) - waiting(y.r) || x.i - y.i).map((x) => x.r);
}

/** The priority the audio must signal: the worst alarm still active (an acknowledged or paused one is silent). */
export function soundingPriority(s: ConsoleState): AlertPriority | undefined {
  const active = Object.values(s.alerts).filter((a) => a.state === "active");
  return active.sort(byUrgency)[0]?.priority;
}
