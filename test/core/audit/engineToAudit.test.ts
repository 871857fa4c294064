/** Accountability end to end: every engine event's audit entry lands in the chained log, intact. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteAuditLog } from "../../../src/adapters/sqlite/auditLog.js";
import { diffAlertingConfig } from "../../../src/core/alerting/configDiff.js";
import { DEFAULT_ALERTING_CONFIG, resolveAlertingConfig } from "../../../src/core/alerting/config.js";
import { HIGH, NORMAL, nurse, ofType, rig } from "../alerting/helpers.js";

describe("engine → audit log", () => {
  it("raise, escalation, ack, resolve, a technical alarm on NaN input and a config change chain and verify", () => {
    const dir = mkdtempSync(join(tmpdir(), "audit-e2e-"));
    try {
      const { log, db } = SqliteAuditLog.openFile(join(dir, "alarms.db"));
      const r = rig();
      r.feed({ ...HIGH, spo2: Number.NaN }, 50_000); // SpO2 NaN: a technical alarm whose input is NaN
      const a = ofType(r.feed(HIGH, 200_000), "raise")[0]!.alert;
      r.do((e) => e.onAck(a.id, nurse));
      r.feed(NORMAL, 400_000);
      const entries = [...r.events.map((e) => e.audit), ...diffAlertingConfig(DEFAULT_ALERTING_CONFIG, resolveAlertingConfig({ escalation: { t1Ms: 30_000 } }), 1, nurse)];
      const rows = log.appendAll(entries);
      expect(rows).toHaveLength(entries.length);
      expect(new Set(entries.map((e) => e.type))).toEqual(new Set(["alert_raised", "alert_escalated", "alert_state", "alert_resolved", "config_changed"]));
      expect(log.verify()).toEqual({ ok: true, rows: entries.length, head: rows.at(-1)!.hash });
      const ack = db.prepare("SELECT actor, data FROM audit_log WHERE type = 'alert_state'").get() as { actor: string; data: string };
      expect(JSON.parse(ack.actor)).toEqual(nurse);
      const nan = db.prepare("SELECT data FROM audit_log WHERE data LIKE '%\"NaN\"%' LIMIT 1").get();
      expect(nan).toBeDefined(); // a NaN input is stored as "NaN", never lost or null
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
