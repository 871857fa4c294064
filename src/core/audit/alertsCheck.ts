/**
 * The alerts table against the audit chain, pure. The gateway restores open alarms from the
 * alerts table at start, so that table must not be editable behind the chain's back: every audit
 * entry about an alert carries the hash of the alert row it was written with (`alertSha`), and the
 * row carries the id and hash of that entry (its anchor). Then:
 * - a row edited (acknowledged → active, or the reverse) no longer matches its entry: "modified";
 * - a row deleted while the chain records it: "missing";
 * - the last audit rows deleted and `audit_head` rewritten: the rows anchored there point past the
 *   end of the log: "truncated";
 * - a row re-anchored by hand to another entry: "anchor_mismatch".
 */

export interface AlertRowAnchor {
  readonly alertId: string;
  /** sha256 of the row's body as stored now. */
  readonly bodySha: string;
  /** Null for rows written before anchoring existed (and never touched since). */
  readonly auditId: number | null;
  readonly auditHash: string | null;
}

/** The latest audit entry about an alert that carried its row hash. */
export interface ChainAlertEntry {
  readonly alertId: string;
  readonly auditId: number;
  readonly hash: string;
  readonly alertSha: string;
}

export const ALERT_PROBLEMS = ["modified", "missing", "truncated", "anchor_mismatch"] as const;
export type AlertProblemReason = (typeof ALERT_PROBLEMS)[number];

export interface AlertProblem {
  readonly alertId: string;
  readonly auditId: number;
  readonly reason: AlertProblemReason;
  readonly message: string;
}

function explainAlert(reason: AlertProblemReason, alertId: string, auditId: number): string {
  switch (reason) {
    case "modified":
      return `alerts row ${alertId} was modified (it does not match audit row ${auditId}, the last entry about it)`;
    case "missing":
      return `alerts row ${alertId} is missing (deleted); audit row ${auditId} records it`;
    case "truncated":
      return `alerts row ${alertId} is anchored at audit row ${auditId}, which is not in the log (rows deleted from its end and the head rewritten)`;
    case "anchor_mismatch":
      return `alerts row ${alertId} is not anchored at audit row ${auditId}, the last entry about it (its anchor was altered)`;
    default:
      return reason satisfies never;
  }
}

const problem = (reason: AlertProblemReason, alertId: string, auditId: number): AlertProblem => ({ alertId, auditId, reason, message: explainAlert(reason, alertId, auditId) });

/** Every disagreement between the alerts table and the chain, ordered by audit row. */
export function checkAlertsAgainstChain(rows: Iterable<AlertRowAnchor>, latest: ReadonlyMap<string, ChainAlertEntry>): AlertProblem[] {
  const problems: AlertProblem[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    seen.add(row.alertId);
    const entry = latest.get(row.alertId);
    if (row.auditId !== null && (entry === undefined || entry.auditId < row.auditId)) problems.push(problem("truncated", row.alertId, row.auditId));
    else if (entry === undefined) continue; // written before anchoring existed: nothing to compare with
    else if (row.bodySha !== entry.alertSha) problems.push(problem("modified", row.alertId, entry.auditId));
    else if (row.auditId !== entry.auditId || row.auditHash !== entry.hash) problems.push(problem("anchor_mismatch", row.alertId, entry.auditId));
  }
  for (const entry of latest.values()) if (!seen.has(entry.alertId)) problems.push(problem("missing", entry.alertId, entry.auditId));
  return problems.sort((a, b) => a.auditId - b.auditId);
}
