/**
 * JSON Schema (draft-07, Ajv strict) of the `alerting` key in config/gateway.schema.json. Defaults
 * come from DEFAULT_ALERTING_CONFIG so the two cannot drift; ./configSchema.json is this object
 * written out (a test keeps it in sync) for embedding. Checks a schema cannot express are in
 * `checkAlertingConfig`.
 */
import { ALERT_PRIORITIES } from "../model.js";
import { DEFAULT_ALERTING_CONFIG as D, RULE_VITALS, type AlertingConfig } from "./config.js";

const DAY = 86_400_000;
const ms = (title: string, description: string, def: number, max = DAY) => ({ title, description, type: "integer", minimum: 0, maximum: max, default: def });
const priority = (title: string, def: string) => ({ title, type: "string", enum: [...ALERT_PRIORITIES], default: def });
const nullableMs = { anyOf: [{ type: "integer", minimum: 1, maximum: DAY }, { type: "null" }] };

const threshold = {
  type: "object",
  additionalProperties: false,
  properties: {
    low: { title: "Alarm below", type: "number" },
    high: { title: "Alarm above", type: "number" },
    artifactBelow: { title: "Artifact below", description: "Values below this are sensor artifacts (technical), never alarms.", type: "number" },
  },
};
const perVital = (items: object) => ({ type: "object", additionalProperties: false, properties: Object.fromEntries(RULE_VITALS.map((v) => [v, items])) });

const clinicianSetting = (value: object) => ({
  type: "object",
  additionalProperties: false,
  required: ["value", "setBy", "setAt"],
  properties: {
    value,
    setBy: { title: "Set by", description: "User id of the clinician who decided it (never a patient identifier).", type: "string", minLength: 1 },
    setAt: { title: "Set at", description: "ISO 8601 date-time of the decision.", type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$" },
    reason: { type: "string" },
  },
});

const quality = {
  type: "object",
  additionalProperties: false,
  required: ["min", "max", "maxJump", "flatlineMs", "dropoutMs", "maxAgeMs"],
  properties: {
    min: { title: "Lowest possible value", type: "number" },
    max: { title: "Highest possible value", type: "number" },
    maxJump: { anyOf: [{ type: "object", additionalProperties: false, required: ["abs", "perMinute"], properties: { abs: { type: "number", minimum: 0 }, perMinute: { type: "number", minimum: 0 } } }, { type: "null" }] },
    flatlineMs: nullableMs,
    dropoutMs: nullableMs,
    maxAgeMs: { type: "integer", minimum: 1, maximum: 7 * DAY },
  },
};

export const ALERTING_SCHEMA = {
  title: "Alerting",
  description: "The clinical alerting engine (src/core/alerting/README.md): NEWS2 (RCP 2017), limit alarms, signal-quality gates, persistence, hysteresis, the alarm state machine, rate limits. Every alert records the rule-set version and limits in force. A change is audited.",
  type: "object",
  additionalProperties: false,
  default: {},
  properties: {
    ruleSetVersion: { title: "Rule-set version", description: "Stored on every alert so each can be traced to the rules in force.", type: "string", minLength: 1, default: D.ruleSetVersion },
    thresholds: { title: "Limit alarms", description: "Per vital, in the canonical unit (/min, %, mm[Hg], Cel): alarm below `low` / above `high` (cause threshold:<vital>:low|high). NEWS2 alarms do not need these.", ...perVital(threshold), default: D.thresholds },
    quality: { title: "Signal-quality gates", description: "Per vital: physiological range, believable jump, flat-line, dropout and staleness.", ...perVital(quality), required: [...RULE_VITALS], default: D.quality },
    jumpConfirmCount: { title: "Readings to believe a jump", type: "integer", minimum: 1, maximum: 20, default: D.jumpConfirmCount },
    acvpuMaxAgeMs: ms("ACVPU validity (ms)", "A nurse's ACVPU observation counts this long; then consciousness is unknown.", D.acvpuMaxAgeMs, 7 * DAY),
    hysteresis: {
      title: "Hysteresis",
      type: "object",
      additionalProperties: false,
      default: D.hysteresis,
      properties: {
        news2Points: { title: "NEWS2 points", description: "An alarm holds its priority until the total is this many points below the band.", type: "integer", minimum: 0, maximum: 4, default: D.hysteresis.news2Points },
        thresholds: { title: "Limit alarms", description: "Per vital: how far inside the limit a limit alarm clears.", ...perVital({ type: "number", minimum: 0 }), default: D.hysteresis.thresholds },
      },
    },
    persistence: {
      title: "Persistence",
      type: "object",
      additionalProperties: false,
      default: D.persistence,
      properties: {
        raiseMs: {
          title: "Hold before alarming (ms), per priority",
          type: "object",
          additionalProperties: false,
          required: [...ALERT_PRIORITIES],
          properties: Object.fromEntries(ALERT_PRIORITIES.map((p) => [p, { type: "integer", minimum: 0, maximum: DAY }])),
          default: D.persistence.raiseMs,
        },
        clearMs: ms("Hold before clearing (ms)", "A condition must be absent this long, past hysteresis, before it clears.", D.persistence.clearMs),
        technicalRaiseMs: ms("Technical: hold before alarming (ms)", "A technical condition must hold this long before it alarms. It is also the one grace for a lost link (sensor broker, Bluetooth, each BLE sensor, no nurse console): a link down this long is a technical alarm, raised then and not delayed again by the engine.", D.persistence.technicalRaiseMs),
        technicalClearMs: ms("Technical: hold before clearing (ms)", "A technical condition must be gone this long before it clears. Lost links clear as soon as they are back (their grace was applied before).", D.persistence.technicalClearMs),
      },
    },
    priorities: {
      title: "Priorities",
      description: "IEC 60601-1-8 priority of each alarm condition (README: why these defaults).",
      type: "object",
      additionalProperties: false,
      default: D.priorities,
      properties: {
        news2High: priority("NEWS2 ≥ 7", D.priorities.news2High),
        news2Medium: priority("NEWS2 5–6", D.priorities.news2Medium),
        news2Red: priority("A single parameter scoring 3", D.priorities.news2Red),
        threshold: priority("Limit alarm", D.priorities.threshold),
        artifact: priority("Artifact (e.g. SpO2 probe off)", D.priorities.artifact),
        noData: priority("Sensor lost (no data)", D.priorities.noData),
        flatline: priority("Frozen value", D.priorities.flatline),
        external: priority("Reported by an adapter (BLE link lost, upstream down)", D.priorities.external),
        qsofa: priority("qSOFA ≥ 2 advisory", D.priorities.qsofa),
      },
    },
    advisories: {
      title: "Advisories",
      type: "object",
      additionalProperties: false,
      default: D.advisories,
      properties: { qsofa: { title: "qSOFA ≥ 2 'possible sepsis' advisory", description: "Secondary flag only (Sepsis-3); altered mentation from ACVPU other than A.", type: "boolean", default: D.advisories.qsofa } },
    },
    latching: { title: "Latching priorities", description: "Physiological alarms of these priorities stay until acknowledged.", type: "array", items: { type: "string", enum: [...ALERT_PRIORITIES] }, uniqueItems: true, default: D.latching },
    escalation: {
      title: "Escalation",
      description: "An unacknowledged high alarm escalates at T1 and again at T2 after it was announced.",
      type: "object",
      additionalProperties: false,
      default: D.escalation,
      properties: { t1Ms: ms("T1 (ms)", "", D.escalation.t1Ms), t2Ms: ms("T2 (ms)", "Must be later than T1.", D.escalation.t2Ms) },
    },
    pause: {
      title: "Pauses",
      type: "object",
      additionalProperties: false,
      default: D.pause,
      properties: { audioMaxMs: ms("Longest audio pause (ms)", "", D.pause.audioMaxMs), alarmMaxMs: ms("Longest alarm pause (ms)", "", D.pause.alarmMaxMs) },
    },
    rateLimit: {
      title: "Rate limits",
      description: "After a cause resolved, the same or lower priority is not re-raised within the window (logged as suppressed). NEWS2 ≥ 7 and a single 3 always pass.",
      type: "object",
      additionalProperties: false,
      default: D.rateLimit,
      properties: { physiologicalMs: ms("Physiological (ms)", "", D.rateLimit.physiologicalMs), technicalMs: ms("Technical (ms)", "", D.rateLimit.technicalMs) },
    },
    ackRoles: { title: "Roles that may acknowledge and pause", type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true, default: D.ackRoles },
    patients: {
      title: "Per-patient overrides",
      description: "Keyed by patient id. SpO2 Scale 2 and oxygen only as a documented clinician decision (who and when).",
      type: "object",
      default: D.patients,
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        properties: {
          spo2Scale: clinicianSetting({ type: "integer", enum: [1, 2] }),
          onOxygen: clinicianSetting({ type: "boolean" }),
          thresholds: perVital(threshold),
        },
      },
    },
  },
} as const;

export interface AlertingProblem {
  readonly path: string;
  readonly message: string;
}

/** What the schema cannot say: ordering between fields. Paths are relative to `alerting`. */
export function checkAlertingConfig(c: AlertingConfig): AlertingProblem[] {
  const out: AlertingProblem[] = [];
  if (c.escalation.t2Ms <= c.escalation.t1Ms) out.push({ path: "/escalation/t2Ms", message: "T2 must be later than T1" });
  for (const v of RULE_VITALS) {
    const q = c.quality[v];
    if (q.min >= q.max) out.push({ path: `/quality/${v}`, message: "min must be below max" });
  }
  const limits = (prefix: string, t: AlertingConfig["thresholds"]) => {
    for (const [v, l] of Object.entries(t)) if (l.low !== undefined && l.high !== undefined && l.low >= l.high) out.push({ path: `${prefix}/${v}`, message: "low must be below high" });
  };
  limits("/thresholds", c.thresholds);
  for (const [id, p] of Object.entries(c.patients)) if (p.thresholds) limits(`/patients/${id}/thresholds`, p.thresholds);
  return out;
}
