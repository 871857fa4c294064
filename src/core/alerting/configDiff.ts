/**
 * A configuration change is an audited event (issue 5 §7): one `config_changed` entry per changed
 * leaf, with its JSON pointer, old and new value. Pure; the caller appends them to the audit log.
 */
import type { AlertingConfig } from "./config.js";
import type { Actor, AuditEntry } from "./events.js";
import { canonicalJson } from "../audit/canonical.js";

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

function leaves(a: unknown, b: unknown, path: string, out: { path: string; from: unknown; to: unknown }[]): void {
  if (isObject(a) && isObject(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) leaves(a[k], b[k], `${path}/${k.replaceAll("~", "~0").replaceAll("/", "~1")}`, out);
    return;
  }
  // Arrays and scalars compare as a whole (canonically, so key order never counts as a change).
  if (canonicalJson(a) !== canonicalJson(b)) out.push({ path, from: a ?? null, to: b ?? null });
}

export function diffAlertingConfig(before: AlertingConfig, after: AlertingConfig, at: number, actor?: Actor): AuditEntry[] {
  const changes: { path: string; from: unknown; to: unknown }[] = [];
  leaves(before, after, "/alerting", changes);
  return changes.map((c) => ({ type: "config_changed", at, ...(actor ? { actor } : {}), data: { ...c, ruleSetVersion: after.ruleSetVersion } }));
}
