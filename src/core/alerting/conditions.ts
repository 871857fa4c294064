/**
 * From a patient's current values to condition samples: one per cause, with the priority the
 * condition has *now* (value hysteresis applied against the open alert). Persistence in time is
 * ./persistence.ts; the alarm states are ../alarms/stateMachine.ts.
 */
import type { Alert, AlertKind, AlertPriority, InputReading } from "../model.js";
import { news2, type Acvpu, type News2Result } from "../rules/news2.js";
import { qsofa } from "../rules/qsofa.js";
import { judgePleth, plethDoubt, PULSE_PAIR_WINDOW_MS, type PlethDoubt, type PlethVerdict } from "../rules/crossChannel.js";
import { isDroppedOut, isFlatlined, usableValue, type ArtifactReason, type VitalTrack } from "../rules/quality.js";
import { PRIORITY_RANK, RULE_VITALS, type AlertingConfig, type RuleVital, type Threshold } from "./config.js";

export interface ConditionSample {
  readonly cause: string;
  readonly kind: AlertKind;
  /** Priority the condition has now; null when absent. */
  readonly priority: AlertPriority | null;
  /** False when the data that raised the alert is gone: an alarm never clears for lack of data. */
  readonly canClear: boolean;
  /** NEWS2 ≥ 7 and a single 3 always pass the rate limit (research/anomaly-detection.md §7.4). */
  readonly bypassRateLimit: boolean;
  /** Its grace was applied before the engine saw it: no persistence delay (ExternalCondition.settled). */
  readonly settled?: boolean;
  readonly message: string;
  readonly inputs: readonly InputReading[];
  readonly news2?: NonNullable<Alert["news2"]>;
  readonly limits: Readonly<Record<string, number | string | boolean>>;
}

export interface PatientView {
  readonly tracks: Readonly<Partial<Record<RuleVital, VitalTrack>>>;
  /** Last valid and last received reading per vital, as inputs for the alert record. */
  readonly valid: Readonly<Partial<Record<RuleVital, InputReading>>>;
  readonly last: Readonly<Partial<Record<RuleVital, InputReading>>>;
  readonly acvpu?: { readonly value: Acvpu; readonly at: number };
  readonly onOxygen?: boolean;
  readonly scale: 1 | 2;
  readonly thresholds: Readonly<Partial<Record<RuleVital, Threshold>>>;
  /** Monotonic time the pleth was last in doubt against the ECG (../rules/crossChannel.ts). */
  readonly plethDoubtAt?: number;
}

/** What is open for a cause, for hysteresis and the clear guard. */
export type ActiveLookup = (cause: string) => Pick<Alert, "priority" | "news2" | "limits"> | undefined;

const maxPriority = (a: AlertPriority | null, b: AlertPriority | null): AlertPriority | null =>
  a === null ? b : b === null ? a : PRIORITY_RANK[a] >= PRIORITY_RANK[b] ? a : b;

export function news2Priority(r: Pick<News2Result, "total" | "redScore">, cfg: AlertingConfig, offset = 0): AlertPriority | null {
  // RCP 2017 chart 3: ≥ 7 emergency response, 5–6 urgent response, a single 3 urgent ward-based response.
  let p: AlertPriority | null = null;
  if (r.total >= 7 - offset) p = cfg.priorities.news2High;
  else if (r.total >= 5 - offset) p = cfg.priorities.news2Medium;
  return r.redScore ? maxPriority(p, cfg.priorities.news2Red) : p;
}

/** Applies value hysteresis: below the active priority, hold it while within `offset`. */
function hold(now: AlertPriority | null, active: AlertPriority | undefined, held: AlertPriority | null): AlertPriority | null {
  if (active === undefined || (now !== null && PRIORITY_RANK[now] >= PRIORITY_RANK[active])) return now;
  const capped = held !== null && PRIORITY_RANK[held] > PRIORITY_RANK[active] ? active : held;
  return maxPriority(now, capped);
}

/** The pleth (SpO2 and pulse rate) judged against the ECG heart rate (../rules/crossChannel.ts). */
export function plethVerdict(v: PatientView, cfg: AlertingConfig, now: number): PlethVerdict {
  const timed = (vital: "heart_rate" | "pulse_rate") => {
    const t = v.tracks[vital];
    const value = t ? usableValue(t, cfg.quality[vital], now) : undefined;
    return value !== undefined && t?.valueTime !== undefined ? { value, time: t.valueTime } : undefined;
  };
  // SpO2 and the pleth pulse are two numbers from one probe's signal: either one an artifact (SpO2
  // 0 or 42 %, pulse 277 /min) says the probe is not measuring, and the other is not believed either.
  const plethArtifact = v.tracks.pulse_rate?.artifactSince !== undefined || v.tracks.spo2?.artifactSince !== undefined;
  return judgePleth(timed("heart_rate"), timed("pulse_rate"), plethArtifact);
}

const PLETH_VITALS: readonly RuleVital[] = ["spo2", "pulse_rate"];

/**
 * The value the rules may use now: usable by its own gate, and for SpO2 and the pleth pulse also
 * not in doubt against the ECG. A questionable SpO2 scores as missing, never as a desaturation.
 */
export function usable(v: PatientView, cfg: AlertingConfig, vital: RuleVital, now: number): number | undefined {
  const t = v.tracks[vital];
  const value = t ? usableValue(t, cfg.quality[vital], now) : undefined;
  if (value === undefined || !PLETH_VITALS.includes(vital)) return value;
  return plethDoubtNow(v, cfg, now) === undefined ? value : undefined;
}

export function plethDoubtNow(v: PatientView, cfg: AlertingConfig, now: number): PlethDoubt | undefined {
  return plethDoubt(plethVerdict(v, cfg, now), v.plethDoubtAt, now);
}

/** NEWS2 from the values usable now: one computation for the alarm and for the console's bed tile. */
export function currentNews2(v: PatientView, cfg: AlertingConfig, now: number): { r: News2Result; acvpu: Acvpu | undefined; use: (vital: RuleVital) => number | undefined; pulseVital: RuleVital } {
  const use = (vital: RuleVital): number | undefined => usable(v, cfg, vital, now);
  const hr = use("heart_rate");
  const pulseVital: RuleVital = hr !== undefined ? "heart_rate" : "pulse_rate";
  const acvpu = v.acvpu && now - v.acvpu.at <= cfg.acvpuMaxAgeMs ? v.acvpu.value : undefined;
  const r = news2({
    respiratoryRate: use("respiratory_rate"),
    spo2: use("spo2"),
    spo2Scale: v.scale,
    onOxygen: v.onOxygen,
    systolicBp: use("systolic_bp"),
    pulse: hr ?? use("pulse_rate"),
    acvpu,
    temperatureC: use("body_temperature"),
  });
  return { r, acvpu, use, pulseVital };
}

export function sampleNews2(v: PatientView, cfg: AlertingConfig, now: number, active: ActiveLookup): ConditionSample {
  const { r, acvpu, use, pulseVital } = currentNews2(v, cfg, now);
  const open = active("news2");
  const priority = hold(news2Priority(r, cfg), open?.priority, news2Priority(r, cfg, cfg.hysteresis.news2Points));
  // Never clear because a parameter that scored went stale or became an artifact.
  const lost = Object.entries(open?.news2?.subscores ?? {}).some(([p, s]) => s > 0 && (r.missing as readonly string[]).includes(p));
  const used: RuleVital[] = ["respiratory_rate", "spo2", "systolic_bp", pulseVital, "body_temperature"];
  const inputs = used.filter((x) => use(x) !== undefined).flatMap((x) => (v.valid[x] ? [v.valid[x]] : []));
  const unknown = r.missing.length > 0 ? ` (not scored: ${r.missing.join(", ")})` : "";
  return {
    cause: "news2",
    kind: "physiological",
    priority,
    canClear: !lost,
    bypassRateLimit: r.redScore || r.total >= 7,
    message: `NEWS2 ${r.total}${r.redScore ? ", a single parameter scores 3" : ""}${unknown}`,
    inputs,
    news2: { total: r.total, subscores: r.subscores, missing: r.missing, scale: v.scale },
    limits: { scale: v.scale, acvpu: acvpu ?? "unknown", mediumAt: 5, highAt: 7, hysteresisPoints: cfg.hysteresis.news2Points },
  };
}

/** qSOFA ≥ 2 as an advisory (cause `qsofa`); clears only with the criteria that were met still measured. */
export function sampleQsofa(v: PatientView, cfg: AlertingConfig, now: number, active: ActiveLookup): ConditionSample[] {
  if (!cfg.advisories.qsofa) return [];
  const use = (vital: RuleVital): number | undefined => usable(v, cfg, vital, now);
  const acvpu = v.acvpu && now - v.acvpu.at <= cfg.acvpuMaxAgeMs ? v.acvpu.value : undefined;
  const r = qsofa({ respiratoryRate: use("respiratory_rate"), systolicBp: use("systolic_bp"), alteredMentation: acvpu === undefined ? undefined : acvpu !== "A" });
  // Never clear because a criterion that was met went stale (as for NEWS2).
  const metBefore = String(active("qsofa")?.limits?.met ?? "").split(",");
  const lost = r.missing.some((c) => metBefore.includes(c));
  const inputs = (["respiratory_rate", "systolic_bp"] as const).filter((x) => use(x) !== undefined).flatMap((x) => (v.valid[x] ? [v.valid[x]] : []));
  return [
    {
      cause: "qsofa",
      kind: "advisory",
      priority: r.positive ? cfg.priorities.qsofa : null,
      canClear: !lost,
      bypassRateLimit: false,
      message: `qSOFA ${r.score} (${r.met.join(", ") || "none"}): possible sepsis, a secondary flag, not a diagnosis`,
      inputs,
      limits: { respiratoryRateAtLeast: 22, systolicBpAtMost: 100, mentation: acvpu ?? "unknown", met: r.met.join(",") },
    },
  ];
}

/** `only`: sample just this vital's limits (after one of its readings); all when absent. */
export function sampleThresholds(v: PatientView, cfg: AlertingConfig, now: number, active: ActiveLookup, only?: RuleVital): ConditionSample[] {
  const out: ConditionSample[] = [];
  for (const vital of only ? [only] : RULE_VITALS) {
    const t = v.thresholds[vital];
    if (!t) continue;
    const value = usable(v, cfg, vital, now);
    const h = cfg.hysteresis.thresholds[vital] ?? 0;
    for (const side of ["low", "high"] as const) {
      const limit = t[side];
      if (limit === undefined) continue;
      const cause = `threshold:${vital}:${side}`;
      const open = active(cause) !== undefined;
      const margin = open ? h : 0; // clears only `h` inside the limit
      const beyond = value !== undefined && (side === "low" ? value < limit + margin : value > limit - margin);
      const input = v.valid[vital];
      out.push({
        cause,
        kind: "physiological",
        priority: beyond ? cfg.priorities.threshold : null,
        canClear: value !== undefined,
        bypassRateLimit: false,
        message: `${vital.replace(/_/g, " ")} ${input ? `${input.value} ${input.unit} ` : ""}is ${side === "low" ? "below" : "above"} the limit ${limit}`,
        inputs: beyond && input ? [input] : [],
        limits: { [side]: limit, hysteresis: h },
      });
    }
  }
  return out;
}

const ARTIFACT_TEXT: Record<ArtifactReason, string> = {
  zero: "no signal (0)",
  not_finite: "invalid value",
  unit: "unit not convertible",
  out_of_range: "value outside the physiological range",
  jump: "impossible jump",
  flagged: "the sensor marked the value invalid",
  implausible: "impossible beside the other values of the same measurement",
};

export function technicalMessage(vital: RuleVital, what: "artifact" | "no_data" | "flatline", reason?: ArtifactReason): string {
  if (what === "artifact" && vital === "spo2" && (reason === "zero" || reason === "out_of_range")) return "SpO2 probe off or no signal";
  if (what === "artifact" && vital === "systolic_bp" && reason === "implausible") return "Blood pressure cuff reading implausible (artifact)";
  if (what === "no_data") return `${vital}: sensor lost (no data)`;
  if (what === "flatline") return `${vital}: frozen value (flat line)`;
  return `${vital}: ${reason ? ARTIFACT_TEXT[reason] : "artifact"}`;
}

/**
 * A condition reported from outside the rules: technical by default (`technical:external:<name>`,
 * e.g. BLE link lost, no nurse client), or an advisory with its own cause (the anomaly model's
 * `model:deterioration_risk`), which goes through the same persistence, state machine and audit.
 */
export interface ExternalCondition {
  readonly name: string;
  readonly present: boolean;
  readonly message: string;
  readonly kind?: "technical" | "advisory";
  readonly cause?: string;
  readonly priority?: AlertPriority;
  /**
   * The reporter already waited out a grace (core/pipeline/linkCondition.ts): raise and clear at
   * once, and never rate-limit it — a link lost again is a patient unmonitored again.
   */
  readonly settled?: boolean;
}

export function sampleExternal(conditions: Iterable<ExternalCondition>, cfg: AlertingConfig): ConditionSample[] {
  return [...conditions].map((c) => ({
    cause: c.cause ?? `technical:external:${c.name}`,
    kind: c.kind ?? "technical",
    priority: c.present ? (c.priority ?? cfg.priorities.external) : null,
    canClear: true,
    bypassRateLimit: c.settled === true,
    ...(c.settled === true ? { settled: true } : {}),
    message: c.message,
    inputs: [],
    limits: {},
  }));
}

export function sampleTechnical(v: PatientView, cfg: AlertingConfig, now: number, only?: RuleVital): ConditionSample[] {
  const out: ConditionSample[] = [];
  for (const vital of only ? [only] : RULE_VITALS) {
    const track = v.tracks[vital];
    if (!track) continue;
    const q = cfg.quality[vital];
    const last = v.last[vital];
    const checks = [
      ["artifact", track.artifactSince !== undefined, cfg.priorities.artifact],
      ["no_data", isDroppedOut(track, q, now), cfg.priorities.noData],
      ["flatline", isFlatlined(track, q, now), cfg.priorities.flatline],
    ] as const;
    for (const [what, present, priority] of checks) {
      out.push({
        cause: `technical:${vital}:${what}`,
        kind: "technical",
        priority: present ? priority : null,
        canClear: true,
        bypassRateLimit: false,
        message: technicalMessage(vital, what, track.artifactReason),
        inputs: present && last ? [last] : [],
        limits: { min: q.min, max: q.max, dropoutMs: q.dropoutMs ?? "off", flatlineMs: q.flatlineMs ?? "off" },
      });
    }
  }
  if (only === undefined || ["spo2", "heart_rate", "pulse_rate"].includes(only)) out.push(sampleSpo2Questionable(v, cfg, now));
  return out;
}

const DOUBT_TEXT: Record<PlethDoubt, string> = {
  disagrees: "pleth pulse disagrees with ECG heart rate",
  pleth_invalid: "pleth pulse invalid",
  unconfirmed: "not yet confirmed by the ECG after a disagreement",
};

/**
 * `technical:spo2:questionable`: the pleth disagrees with the ECG (or its pulse is an artifact)
 * while SpO2 itself looks fine. The technical raise delay (30 s) is the "longer than a few beats"
 * of the issue: a few mismatched beats never alarm, though SpO2 is kept out of NEWS2 at once.
 */
function sampleSpo2Questionable(v: PatientView, cfg: AlertingConfig, now: number): ConditionSample {
  const spo2 = v.tracks.spo2;
  const doubt = plethDoubtNow(v, cfg, now);
  const present = spo2 !== undefined && spo2.artifactSince === undefined && doubt !== undefined;
  const inputs = (["spo2", "pulse_rate", "heart_rate"] as const).flatMap((x) => (present && v.last[x] ? [v.last[x]] : []));
  return {
    cause: "technical:spo2:questionable",
    kind: "technical",
    priority: present ? cfg.priorities.artifact : null,
    canClear: true,
    bypassRateLimit: false,
    message: `SpO2 signal questionable: ${DOUBT_TEXT[doubt ?? "disagrees"]}`,
    inputs,
    limits: { pairWindowMs: PULSE_PAIR_WINDOW_MS, tolerance: "max(5, 10% of ECG HR) + 5 /min" },
  };
}
