/**
 * Alerting configuration: the TypeScript shape of the `alerting` key of config/gateway.schema.json
 * (fragment in ./configSchema.ts) and its defaults. Times are milliseconds of monotonic time.
 * Every value below is a documented default (README.md beside this file says why).
 */
import type { AlertPriority, Vital } from "../model.js";

/** The vitals the rules read; values are converted to the canonical unit first (./units.ts). */
export const RULE_VITALS = ["respiratory_rate", "spo2", "systolic_bp", "heart_rate", "pulse_rate", "body_temperature"] as const;
export type RuleVital = (typeof RULE_VITALS)[number];

export function isRuleVital(v: Vital): v is RuleVital {
  return (RULE_VITALS as readonly string[]).includes(v);
}

export interface Threshold {
  readonly low?: number;
  readonly high?: number;
  /** Values below this are sensor artifacts (SpO2 0 = probe off), never alarms. */
  readonly artifactBelow?: number;
}

export interface VitalQuality {
  /** Physiologically possible range in the canonical unit; outside it a value is an artifact. */
  readonly min: number;
  readonly max: number;
  /** Largest believable change between two readings: abs + perMinute × minutes between them. */
  readonly maxJump: { readonly abs: number; readonly perMinute: number } | null;
  /** The same value for this long is a frozen sensor (technical), null: never. */
  readonly flatlineMs: number | null;
  /** No reading at all for this long, once seen, is a lost sensor (technical), null: never. */
  readonly dropoutMs: number | null;
  /** A valid value older than this no longer counts (scored as missing). */
  readonly maxAgeMs: number;
}

export interface ClinicianSetting<T> {
  readonly value: T;
  /** Who decided it (user id, never a patient identifier) and when (ISO 8601). */
  readonly setBy: string;
  readonly setAt: string;
  readonly reason?: string;
}

export interface PatientOverride {
  /** NEWS2 SpO2 Scale 2 only by documented clinician decision (RCP 2017, hypercapnic failure). */
  readonly spo2Scale?: ClinicianSetting<1 | 2>;
  readonly onOxygen?: ClinicianSetting<boolean>;
  readonly thresholds?: Readonly<Partial<Record<RuleVital, Threshold>>>;
}

export interface AlertingConfig {
  readonly ruleSetVersion: string;
  /** Per-vital limit alarms (`threshold:<vital>:low|high`), in the canonical unit. */
  readonly thresholds: Readonly<Partial<Record<RuleVital, Threshold>>>;
  readonly quality: Readonly<Record<RuleVital, VitalQuality>>;
  /** Readings in a row near a jumped-to value before the new level is believed. */
  readonly jumpConfirmCount: number;
  /** A nurse's ACVPU observation counts for this long, then consciousness is unknown again. */
  readonly acvpuMaxAgeMs: number;
  readonly hysteresis: {
    /** A NEWS2 alarm holds its priority until the total falls this many points below the band. */
    readonly news2Points: number;
    /** A limit alarm clears only this far inside the limit. */
    readonly thresholds: Readonly<Partial<Record<RuleVital, number>>>;
  };
  readonly persistence: {
    /** A physiological condition must hold this long at a priority before it alarms at it. */
    readonly raiseMs: Readonly<Record<AlertPriority, number>>;
    /** ...and be absent (past hysteresis) this long before it clears. */
    readonly clearMs: number;
    readonly technicalRaiseMs: number;
    readonly technicalClearMs: number;
    /**
     * A lost link (sensor broker, Bluetooth, a BLE sensor, no nurse console) is an alarm once it has
     * been down this long: the one grace, applied before the engine sees the condition.
     */
    readonly linkGraceMs: number;
  };
  readonly priorities: {
    readonly news2High: AlertPriority;
    readonly news2Medium: AlertPriority;
    readonly news2Red: AlertPriority;
    readonly threshold: AlertPriority;
    readonly artifact: AlertPriority;
    readonly noData: AlertPriority;
    readonly flatline: AlertPriority;
    /** Conditions reported from outside the rules (BLE link lost, upstream down…). */
    readonly external: AlertPriority;
    /** qSOFA ≥ 2: a "possible sepsis" advisory, never the main trigger. */
    readonly qsofa: AlertPriority;
  };
  readonly advisories: { readonly qsofa: boolean };
  /** Physiological priorities that latch until acknowledged (IEC 60601-1-8: high). */
  readonly latching: readonly AlertPriority[];
  /** An unacknowledged high alarm escalates after t1Ms and again after t2Ms (from announcement). */
  readonly escalation: { readonly t1Ms: number; readonly t2Ms: number };
  readonly pause: { readonly audioMaxMs: number; readonly alarmMaxMs: number };
  /** After a cause resolved, the same or lower priority is not re-raised within this window. */
  readonly rateLimit: { readonly physiologicalMs: number; readonly technicalMs: number };
  readonly ackRoles: readonly string[];
  readonly patients: Readonly<Record<string, PatientOverride>>;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

const continuous = (min: number, max: number, jumpAbs: number, jumpPerMin: number): VitalQuality => ({
  min,
  max,
  maxJump: { abs: jumpAbs, perMinute: jumpPerMin },
  flatlineMs: 15 * MIN,
  dropoutMs: 2 * MIN,
  maxAgeMs: 5 * MIN,
});

export const DEFAULT_ALERTING_CONFIG: AlertingConfig = {
  ruleSetVersion: "news2-rcp2017/gw-1",
  thresholds: {},
  // Ranges: research/anomaly-detection.md §7 (HR 20–250, RR 2–70, SpO2 50–100, T 25–45 °C).
  quality: {
    heart_rate: continuous(20, 250, 40, 30),
    pulse_rate: continuous(20, 250, 40, 30),
    respiratory_rate: continuous(2, 70, 15, 10),
    spo2: { ...continuous(50, 100, 15, 10), flatlineMs: null }, // 98 % for an hour is normal
    systolic_bp: { min: 40, max: 300, maxJump: null, flatlineMs: null, dropoutMs: null, maxAgeMs: 6 * HOUR },
    body_temperature: { min: 25, max: 45, maxJump: { abs: 2, perMinute: 0.1 }, flatlineMs: null, dropoutMs: null, maxAgeMs: 6 * HOUR },
  },
  jumpConfirmCount: 3,
  acvpuMaxAgeMs: 12 * HOUR,
  hysteresis: { news2Points: 1, thresholds: { heart_rate: 5, pulse_rate: 5, respiratory_rate: 2, spo2: 1, systolic_bp: 5, body_temperature: 0.2 } },
  persistence: { raiseMs: { high: 1 * MIN, medium: 5 * MIN, low: 5 * MIN }, clearMs: 5 * MIN, technicalRaiseMs: 30_000, technicalClearMs: 30_000, linkGraceMs: 20_000 },
  priorities: { news2High: "high", news2Medium: "medium", news2Red: "medium", threshold: "medium", artifact: "low", noData: "medium", flatline: "low", external: "medium", qsofa: "low" },
  advisories: { qsofa: true },
  latching: ["high"],
  escalation: { t1Ms: 60_000, t2Ms: 180_000 },
  pause: { audioMaxMs: 2 * MIN, alarmMaxMs: 5 * MIN },
  rateLimit: { physiologicalMs: 4 * HOUR, technicalMs: 10 * MIN },
  ackRoles: ["nurse", "clinician", "admin"],
  patients: {},
};

/** Fills defaults into a partial config (as Ajv `useDefaults` would) without mutating either. */
export function resolveAlertingConfig(partial: DeepPartial<AlertingConfig> = {}): AlertingConfig {
  return merge(DEFAULT_ALERTING_CONFIG, partial) as AlertingConfig;
}

export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { readonly [K in keyof T]?: DeepPartial<T[K]> } : T;

function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (typeof base !== "object" || base === null || Array.isArray(base) || typeof over !== "object" || over === null || Array.isArray(over)) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = merge((base as Record<string, unknown>)[k], v);
  return out;
}

export const PRIORITY_RANK: Readonly<Record<AlertPriority, number>> = { low: 1, medium: 2, high: 3 };
