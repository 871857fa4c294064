/**
 * Per-gate figures for `vitals-gateway eval` (issue 12): how many NEWS2 rule alarms each
 * cross-channel quality gate (src/core/rules/crossChannel.ts) removes on this data, and whether
 * any death's first alarm came later because of it. A gate the data cannot exercise is reported
 * as not measurable, with the reason — never as a measured zero.
 */
import { CUFF_FAULTS, cuffFault, type CuffFault } from "../core/rules/crossChannel.js";
import { ruleAlarms } from "./burden.js";
import type { Stay } from "./physionet.js";
import { replay } from "./replay.js";

export type GateFigure =
  | { readonly gate: GateName; readonly measurable: false; readonly reason: string }
  | ({ readonly gate: GateName; readonly measurable: true } & CuffGateFigures);
export type GateName = "pleth_vs_ecg" | "cuff_sanity" | "device_status_flags";

export interface CuffGateFigures {
  readonly readingsChecked: number;
  readonly readingsFlagged: number;
  readonly byFault: Readonly<Record<CuffFault, number>>;
  readonly ruleAlarmsUngated: number;
  /** Summed over stays: alarms the gate took away, and any it caused (a dropped reading lets an older value carry on). */
  readonly ruleAlarmsRemoved: number;
  readonly ruleAlarmsAdded: number;
  readonly staysChanged: number;
  /** Deaths whose first rule alarm came later with the gate, or not at all; the hours of the longest delay. */
  readonly deathsDelayed: number;
  readonly deathsMissed: number;
  readonly maxDelayHours: number;
}

/** The PhysioNet 2012 set charts one heart rate per hour and no device status: say so. */
export const NOT_IN_PHYSIONET_2012: readonly GateFigure[] = [
  { gate: "pleth_vs_ecg", measurable: false, reason: "no pleth pulse rate beside the ECG heart rate in this data (PhysioNet 2012 charts one HR); measured on the MIMIC-II numerics record instead (src/core/alerting/README.md)" },
  { gate: "device_status_flags", measurable: false, reason: "charted values carry no device status (PLX/BP measurement status, sensor contact)" },
];

/** Drops the cuff systolic of every implausible cuff measurement, as the engine marks it an artifact before NEWS2. */
function gateCuff(stay: Stay, counts: Record<CuffFault, number>): { stay: Stay; checked: number; flagged: number } {
  const bad = new Set<number>();
  let checked = 0;
  for (const c of stay.cuff) {
    if (c.diastolic === undefined && c.mean === undefined) continue;
    checked++;
    const fault = cuffFault(c);
    if (!fault) continue;
    counts[fault]++;
    bad.add(c.time);
  }
  if (bad.size === 0) return { stay, checked, flagged: 0 };
  // Invasive systolic sits at minute + 0.5 ms (physionet.ts), so an exact-minute systolic is the cuff's.
  const observations = stay.observations.filter((o) => !(o.input === "systolic_bp" && bad.has(o.time)));
  return { stay: { ...stay, observations }, checked, flagged: bad.size };
}

export function cuffGateFigure(stays: readonly Stay[], ticks: number, stepMs: number): GateFigure {
  const byFault = Object.fromEntries(CUFF_FAULTS.map((f) => [f, 0])) as Record<CuffFault, number>;
  let checked = 0;
  let flagged = 0;
  const gated = stays.map((s) => {
    const g = gateCuff(s, byFault);
    checked += g.checked;
    flagged += g.flagged;
    return g.stay;
  });
  const before = replay(stays, { ticks, stepMs }).series.map((s) => ruleAlarms(s.ruleLevel));
  const after = replay(gated, { ticks, stepMs }).series.map((s) => ruleAlarms(s.ruleLevel));
  let removed = 0;
  let added = 0;
  let changed = 0;
  let delayed = 0;
  let missed = 0;
  let maxDelay = 0;
  stays.forEach((s, i) => {
    const d = after[i]!.alerts - before[i]!.alerts;
    if (d < 0) removed -= d;
    else added += d;
    if (d !== 0 || after[i]!.first !== before[i]!.first) changed++;
    if (!s.died || before[i]!.first < 0 || after[i]!.first === before[i]!.first) return;
    if (after[i]!.first < 0) missed++;
    else if (after[i]!.first > before[i]!.first) {
      delayed++;
      maxDelay = Math.max(maxDelay, ((after[i]!.first - before[i]!.first) * stepMs) / 3_600_000);
    }
  });
  return {
    gate: "cuff_sanity",
    measurable: true,
    readingsChecked: checked,
    readingsFlagged: flagged,
    byFault,
    ruleAlarmsUngated: before.reduce((a, e) => a + e.alerts, 0),
    ruleAlarmsRemoved: removed,
    ruleAlarmsAdded: added,
    staysChanged: changed,
    deathsDelayed: delayed,
    deathsMissed: missed,
    maxDelayHours: maxDelay,
  };
}
