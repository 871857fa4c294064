import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { DEFAULT_ALERTING_CONFIG, resolveAlertingConfig, type AlertingConfig } from "../../../src/core/alerting/config.js";
import { diffAlertingConfig } from "../../../src/core/alerting/configDiff.js";
import { ALERTING_SCHEMA, checkAlertingConfig } from "../../../src/core/alerting/configSchema.js";

// Embedded as config/gateway.schema.json will, with the same Ajv options as src/config/load.ts.
const validate = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true }).compile({
  type: "object",
  properties: { alerting: ALERTING_SCHEMA },
});
const valid = (x: unknown): { ok: boolean; data: unknown; errors: string[] } => {
  const data = { alerting: structuredClone(x) };
  const ok = validate(data);
  return { ok, data: data.alerting, errors: (validate.errors ?? []).map((e) => `${e.instancePath.replace(/^\/alerting/, "")} ${e.message ?? ""}`) };
};

describe("alerting config schema", () => {
  it("compiles in Ajv strict mode and fills every default from DEFAULT_ALERTING_CONFIG", () => {
    const r = valid({});
    expect(r.errors).toEqual([]);
    expect(r.data).toEqual(DEFAULT_ALERTING_CONFIG);
  });

  it("configSchema.json is the .ts schema written out (embed it under `alerting`)", () => {
    const json = JSON.parse(readFileSync(new URL("../../../src/core/alerting/configSchema.json", import.meta.url), "utf8")) as unknown;
    expect(json).toEqual(JSON.parse(JSON.stringify(ALERTING_SCHEMA)));
  });

  it.each([
    [{ priorities: { news2High: "urgent" } }, "/priorities/news2High"], // ALM-1: only high/medium/low
    [{ patients: { p1: { spo2Scale: { value: 2 } } } }, "/patients/p1/spo2Scale"], // Scale 2 needs who and when
    [{ patients: { p1: { spo2Scale: { value: 3, setBy: "dr", setAt: "2026-11-25T08:00:00Z" } } } }, "/patients/p1/spo2Scale/value"],
    [{ patients: { p1: { spo2Scale: { value: 2, setBy: "dr", setAt: "yesterday" } } } }, "/patients/p1/spo2Scale/setAt"],
    [{ thresholds: { glucose: { low: 3 } } }, "/thresholds"],
    [{ persistence: { clearMs: -1 } }, "/persistence/clearMs"],
    [{ escalation: { t1Ms: 1.5 } }, "/escalation/t1Ms"],
    [{ latching: ["high", "high"] }, "/latching"],
    [{ extra: 1 }, ""],
  ])("rejects %j at %s", (cfg, path) => {
    const r = valid(cfg);
    expect(r.ok).toBe(false);
    expect(r.errors.some((e) => e.startsWith(`${path} `))).toBe(true);
  });

  it("accepts a documented Scale 2 override and per-patient limits", () => {
    const r = valid({ patients: { p7: { spo2Scale: { value: 2, setBy: "dr-a", setAt: "2026-11-25T08:00:00Z", reason: "hypercapnic failure" }, thresholds: { heart_rate: { high: 120 } } } } });
    expect(r.errors).toEqual([]);
  });

  it("checkAlertingConfig finds what the schema cannot: T2 ≤ T1, min ≥ max, low ≥ high", () => {
    expect(checkAlertingConfig(DEFAULT_ALERTING_CONFIG)).toEqual([]);
    const bad = resolveAlertingConfig({ escalation: { t1Ms: 100, t2Ms: 100 }, quality: { spo2: { min: 100, max: 50 } }, thresholds: { heart_rate: { low: 130, high: 40 } }, patients: { p1: { thresholds: { spo2: { low: 95, high: 90 } } } } });
    expect(checkAlertingConfig(bad).map((p) => p.path)).toEqual(["/escalation/t2Ms", "/quality/spo2", "/thresholds/heart_rate", "/patients/p1/thresholds/spo2"]);
  });
});

describe("diffAlertingConfig", () => {
  it("one audit entry per changed leaf, with path, old and new value, and who", () => {
    const after: AlertingConfig = resolveAlertingConfig({
      ruleSetVersion: "v2",
      persistence: { clearMs: 120_000 },
      latching: ["high", "medium"],
      patients: { p1: { spo2Scale: { value: 2, setBy: "dr-a", setAt: "2026-11-25T08:00:00Z" } } },
    });
    const actor = { user: "admin1", role: "admin", client: "cli" };
    const entries = diffAlertingConfig(DEFAULT_ALERTING_CONFIG, after, 1000, actor);
    expect(entries.map((e) => e.data.path)).toEqual(["/alerting/latching", "/alerting/patients/p1", "/alerting/persistence/clearMs", "/alerting/ruleSetVersion"]);
    expect(entries[2]).toEqual({ type: "config_changed", at: 1000, actor, data: { path: "/alerting/persistence/clearMs", from: 300_000, to: 120_000, ruleSetVersion: "v2" } });
    expect(entries[1]!.data.to).toMatchObject({ spo2Scale: { setBy: "dr-a" } });
  });

  it("no change, no entries (key order does not count)", () => {
    expect(diffAlertingConfig(DEFAULT_ALERTING_CONFIG, { ...DEFAULT_ALERTING_CONFIG }, 0)).toEqual([]);
    expect(diffAlertingConfig(DEFAULT_ALERTING_CONFIG, resolveAlertingConfig({}), 0)).toEqual([]);
    const reordered = Object.fromEntries(Object.entries(DEFAULT_ALERTING_CONFIG).reverse()) as unknown as AlertingConfig;
    expect(diffAlertingConfig(DEFAULT_ALERTING_CONFIG, reordered, 0)).toEqual([]);
  });
});
