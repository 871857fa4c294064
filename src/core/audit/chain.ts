/**
 * The audit hash chain, pure: hash(row n) = H(canonical({id, at, type, patientId, alertId, actor,
 * data, prev: hash(row n-1)})), genesis prev = 64 zeros. Ids are consecutive from 1, and a head
 * record (last id, last hash) is kept beside the table, so a modified row, a deleted row in the
 * middle and a deleted tail are all detected and named by row id.
 */
import type { Actor } from "../alerting/events.js";
import { canonicalJson } from "./canonical.js";

export const GENESIS_HASH = "0".repeat(64);

export interface ChainedRow {
  readonly id: number;
  readonly at: number;
  /** An AuditType when written by the gateway; verify reads whatever is stored. */
  readonly type: string;
  readonly patientId: string | null;
  readonly alertId: string | null;
  readonly actor: Actor | null;
  readonly data: unknown;
  readonly prev: string;
  readonly hash: string;
  /**
   * The hash of the alert as recorded in the alerts table by the same transaction, when the entry
   * is about an alert that has a row there: it ties that row to the chain (alertsCheck.ts). Left
   * out of the hashed text when absent, so rows written before it existed still verify.
   */
  readonly alertSha?: string;
}

export type Hasher = (text: string) => string;

export function rowHash(row: Omit<ChainedRow, "hash">, hash: Hasher): string {
  const { id, at, type, patientId, alertId, actor, data, prev, alertSha } = row;
  return hash(canonicalJson({ id, at, type, patientId, alertId, actor, data, prev, alertSha }));
}

export const BREAK_REASONS = ["missing_row", "prev_mismatch", "hash_mismatch", "head_mismatch", "unreadable"] as const;
export type BreakReason = (typeof BREAK_REASONS)[number];

export type VerifyResult =
  | { readonly ok: true; readonly rows: number; readonly head: string }
  | { readonly ok: false; readonly rowId: number; readonly reason: BreakReason; readonly message: string };

export function explain(reason: BreakReason, rowId: number): string {
  switch (reason) {
    case "missing_row":
      return `row ${rowId} is missing (deleted)`;
    case "prev_mismatch":
      return `row ${rowId} does not follow the row before it (a row before it was changed or deleted)`;
    case "hash_mismatch":
      return `row ${rowId} was modified (its hash does not match its content)`;
    case "head_mismatch":
      return `the recorded head does not match row ${rowId}, the last row (rows after it deleted, or the head altered)`;
    case "unreadable":
      return `row ${rowId} cannot be read (its data is not JSON)`;
    default:
      return reason satisfies never;
  }
}

const broken = (rowId: number, reason: BreakReason): VerifyResult => ({ ok: false, rowId, reason, message: explain(reason, rowId) });

/** Checks rows in id order against each other and, when given, against the recorded head. */
export function verifyChain(rows: Iterable<ChainedRow | { id: number; unreadable: true }>, hash: Hasher, head?: { lastId: number; lastHash: string }): VerifyResult {
  let prev = GENESIS_HASH;
  let expectId = 1;
  let count = 0;
  for (const row of rows) {
    if (row.id !== expectId) return broken(expectId, "missing_row");
    if ("unreadable" in row) return broken(row.id, "unreadable");
    if (row.prev !== prev) return broken(row.id, "prev_mismatch");
    if (rowHash(row, hash) !== row.hash) return broken(row.id, "hash_mismatch");
    prev = row.hash;
    expectId++;
    count++;
  }
  if (head && (head.lastId !== count || head.lastHash !== prev)) return broken(count, "head_mismatch");
  return { ok: true, rows: count, head: prev };
}
