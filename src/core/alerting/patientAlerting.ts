/**
 * The per-patient alerting engine: readings, operator actions and time in, AlertEvents out.
 * Pure apart from the injected Clock (wall time for records, monotonic time for every timer)
 * and id source; the lead's pipeline calls it per patient (see ./alertingPerPatient.ts).
 *
 *   reading ─► quality gate ─► tracks ─┬─► NEWS2 / limits / technical samples ─► persistence ─► manager ─► AlertEvent[]
 *   tick ──────────────────────────────┘                                       (state machine, rate limit, audit)
 */
import type { Clock } from "../../ports/clock.js";
import type { Alert, InputReading, Reading } from "../model.js";
import { isCuffVital, pairCuff, pairedCuffFault, type CuffPairing } from "../rules/crossChannel.js";
import { demoteToArtifact, gateReading, usableValue, type ArtifactReason, type DropReason, type VitalTrack } from "../rules/quality.js";
import type { Acvpu } from "../rules/news2.js";
import { toCanonical } from "../units.js";
import { clinicalStateOf, type ClinicalState } from "./clinicalState.js";
import { plethVerdict, sampleExternal, sampleNews2, sampleQsofa, sampleTechnical, sampleThresholds, type ConditionSample, type ExternalCondition, type PatientView } from "./conditions.js";
import { isRuleVital, type AlertingConfig, type RuleVital } from "./config.js";
import type { Actor, AlertEvent } from "./events.js";
import { AlertManager } from "./manager.js";
import { advance, type Persist, type Timing } from "./persistence.js";
import { CONDITION_NAME } from "../pipeline/conditionName.js";

/** A condition whose reporter already waited out its grace is raised and cleared at once. */
const SETTLED: Timing = { raiseMs: () => 0, clearMs: 0 };

export const CLINICAL_INPUTS = ["acvpu", "oxygen", "spo2_scale"] as const;
export type ClinicalInput =
  | { readonly type: "acvpu"; readonly value: Acvpu; readonly actor: Actor }
  | { readonly type: "oxygen"; readonly onOxygen: boolean; readonly actor: Actor }
  | { readonly type: "spo2_scale"; readonly scale: 1 | 2; readonly actor: Actor; readonly reason?: string };

export interface PauseRequest {
  /** One alert, or every alert of the patient when absent. */
  readonly alertId?: string;
  readonly kind: "audio_pause" | "alarm_pause";
  /** Defaults to, and is capped at, the configured maximum. */
  readonly durationMs?: number;
  readonly actor: Actor;
}

export interface AlertingStats {
  readonly readings: number;
  readonly valid: number;
  readonly artifacts: Readonly<Partial<Record<ArtifactReason, number>>>;
  readonly dropped: Readonly<Partial<Record<DropReason, number>>>;
  /** Readings of vitals the rules do not use (weight, steps…): passed over, not errors. */
  readonly ignored: number;
}

export interface PatientAlerting {
  onReading(reading: Reading): AlertEvent[];
  /** Timers: persistence, pause expiry, escalation, staleness and dropout. Call every second or so. */
  onTick(): AlertEvent[];
  onAck(alertId: string, actor: Actor): AlertEvent[];
  onPause(request: PauseRequest): AlertEvent[];
  onClinicalInput(input: ClinicalInput): AlertEvent[];
  /**
   * A technical condition seen outside the rules (the BLE adapter lost the sensor, the upstream
   * link is down): raised after technicalRaiseMs, cleared after technicalClearMs once not present.
   * `name`: [a-z0-9_.-]{1,64}.
   */
  onExternalCondition(condition: ExternalCondition): AlertEvent[];
  /** After a restart: continue this patient's alerts that were open (AlertOutbox.open()). */
  restore(open: readonly Alert[]): AlertEvent[];
  openAlerts(): Alert[];
  stats(): AlertingStats;
  /** NEWS2 with per-parameter scores and the nurse's entries, for the console. */
  clinical(): ClinicalState;
}

export interface AlertingDeps {
  readonly clock: Clock;
  /** UUIDv7 in production; a counter in tests. */
  readonly newId: () => string;
}

function validClinical(input: ClinicalInput): boolean {
  switch (input.type) {
    case "acvpu":
      return ["A", "C", "V", "P", "U"].includes(input.value);
    case "oxygen":
      return typeof input.onOxygen === "boolean";
    case "spo2_scale":
      return input.scale === 1 || input.scale === 2;
    default:
      return input satisfies never;
  }
}

export function createPatientAlerting(patientId: string, config: AlertingConfig, deps: AlertingDeps): PatientAlerting {
  const override = config.patients[patientId];
  const tracks: Partial<Record<RuleVital, VitalTrack>> = {};
  const valid: Partial<Record<RuleVital, InputReading>> = {};
  const last: Partial<Record<RuleVital, InputReading>> = {};
  const persist = new Map<string, Persist>();
  let plethDoubtAt: number | undefined; // last time the pleth was in doubt against the ECG
  let cuff: CuffPairing | undefined; // the latest cuff measurement's parts, for ../rules/crossChannel.ts
  const external = new Map<string, ExternalCondition>();
  let acvpu: { value: Acvpu; at: number } | undefined;
  let acvpuSetAt: number | undefined;
  let onOxygen = override?.onOxygen?.value;
  // Scale 2 only by documented clinician decision (RCP 2017); default Scale 1.
  let scale: 1 | 2 = override?.spo2Scale?.value ?? 1;
  const thresholds = { ...config.thresholds, ...override?.thresholds };
  const counts = { readings: 0, valid: 0, ignored: 0, artifacts: {} as Partial<Record<ArtifactReason, number>>, dropped: {} as Partial<Record<DropReason, number>> };
  const manager = new AlertManager({ patientId, config, wall: () => deps.clock.now(), newId: deps.newId });

  const timing = (s: ConditionSample): Timing =>
    s.settled === true
      ? SETTLED
      : {
          raiseMs: (p) => (s.kind === "technical" ? config.persistence.technicalRaiseMs : config.persistence.raiseMs[p]),
          clearMs: s.kind === "technical" ? config.persistence.technicalClearMs : config.persistence.clearMs,
        };

  const view = (): PatientView => ({ tracks, valid, last, ...(acvpu ? { acvpu } : {}), ...(onOxygen !== undefined ? { onOxygen } : {}), scale, thresholds, ...(plethDoubtAt !== undefined ? { plethDoubtAt } : {}) });

  /**
   * After a reading of `only`: NEWS2 and that vital's conditions. On a tick (no `only`): every
   * condition (staleness and dropout happen without readings) and the alarm timers.
   */
  function evaluate(only?: RuleVital): AlertEvent[] {
    const now = deps.clock.monotonic();
    const v = view();
    const active = (cause: string): Alert | undefined => manager.active(cause);
    const samples = [sampleNews2(v, config, now, active), ...sampleQsofa(v, config, now, active), ...sampleThresholds(v, config, now, active, only), ...sampleTechnical(v, config, now, only), ...(only ? [] : sampleExternal(external.values(), config))];
    const events: AlertEvent[] = [];
    for (const s of samples) {
      const { persist: next, target } = advance(persist.get(s.cause) ?? { since: {} }, s, manager.active(s.cause)?.priority, now, timing(s));
      persist.set(s.cause, next);
      events.push(...manager.apply(s, target, now));
    }
    if (only === undefined) events.push(...manager.tick(now));
    return events;
  }

  /**
   * A stored record handed over late (a spot-check or glucose record timed by its device) is as
   * old as its device time says, not as its arrival: its freshness (maxAgeMs) counts from when it
   * was taken, so an hour-old SpO2 of 86 % is not scored as a desaturation now.
   */
  function ageByDeviceTime(track: VitalTrack, time: number, now: number): VitalTrack {
    const age = deps.clock.now() - time;
    return age > 0 && track.valueAt !== undefined ? { ...track, valueAt: now - age } : track;
  }

  /** A cuff reading found impossible after its systolic was taken as valid: withdraw it at once. */
  function demoteImplausibleSystolic(now: number): AlertEvent[] {
    const track = tracks.systolic_bp;
    const sys = cuff?.systolic;
    if (track === undefined || sys === undefined || track.artifactSince !== undefined || track.value !== sys || pairedCuffFault(cuff) === undefined) return [];
    tracks.systolic_bp = demoteToArtifact(track, "implausible", now);
    counts.valid--;
    counts.artifacts.implausible = (counts.artifacts.implausible ?? 0) + 1;
    return evaluate("systolic_bp");
  }

  const allowed = (actor: Actor): boolean => config.ackRoles.includes(actor.role);

  return {
    onReading(reading) {
      counts.readings++;
      const now = deps.clock.monotonic();
      if (isCuffVital(reading.vital)) cuff = pairCuff(cuff, reading.vital, reading.deviceId, reading.time, toCanonical(reading.vital, reading.value, reading.unit));
      if (!isRuleVital(reading.vital)) {
        counts.ignored++;
        // The diastolic or MAP of a cuff measurement whose systolic was already accepted.
        return isCuffVital(reading.vital) ? demoteImplausibleSystolic(now) : [];
      }
      const vital = reading.vital;
      const value = toCanonical(vital, reading.value, reading.unit);
      const flagged = reading.quality.includes("artifact") || reading.quality.includes("out_of_range");
      const deviceTimed = reading.quality.includes("device_time");
      const r = gateReading(tracks[vital] ?? {}, { value, time: reading.time, deviceTime: deviceTimed, now, flagged }, config.quality[vital], thresholds[vital], config.jumpConfirmCount);
      if (r.verdict === "dropped") {
        counts.dropped[r.reason] = (counts.dropped[r.reason] ?? 0) + 1;
        return [];
      }
      const track = r.verdict === "valid" && deviceTimed ? ageByDeviceTime(r.track, reading.time, now) : r.track;
      tracks[vital] = vital === "systolic_bp" && r.verdict === "valid" && pairedCuffFault(cuff) !== undefined ? demoteToArtifact(track, "implausible", now) : track;
      const input: InputReading = { vital, value: reading.value, unit: reading.unit, time: reading.time, deviceId: reading.deviceId };
      last[vital] = input;
      if (r.verdict === "artifact") counts.artifacts[r.reason] = (counts.artifacts[r.reason] ?? 0) + 1;
      else if (tracks[vital]?.artifactReason === "implausible") counts.artifacts.implausible = (counts.artifacts.implausible ?? 0) + 1;
      else {
        counts.valid++;
        valid[vital] = input;
      }
      if (vital === "heart_rate" || vital === "pulse_rate" || vital === "spo2") {
        const verdict = plethVerdict(view(), config, now);
        // A disagreement with the ECG holds the doubt on; so does a pleth artifact while this patient's
        // ECG is itself failing (nothing can confirm the pleth when it comes back). A lone oximeter
        // is judged by its own gate again after a probe-off, never ignored for minutes after each one.
        const ecg = tracks.heart_rate;
        const ecgLost = ecg !== undefined && usableValue(ecg, config.quality.heart_rate, now) === undefined;
        if (verdict === "disagrees" || (verdict === "pleth_invalid" && ecgLost)) plethDoubtAt = now;
        else if (verdict === "agrees") plethDoubtAt = undefined;
      }
      return evaluate(vital);
    },
    onTick: () => evaluate(),
    onAck(alertId, actor) {
      if (!allowed(actor)) return [manager.rejectAction(alertId, "role_not_allowed", actor)];
      return manager.ack(alertId, actor, deps.clock.monotonic());
    },
    onPause(req) {
      const id = req.alertId ?? "*";
      if (!allowed(req.actor)) return [manager.rejectAction(id, "role_not_allowed", req.actor)];
      const max = req.kind === "audio_pause" ? config.pause.audioMaxMs : config.pause.alarmMaxMs;
      const d = req.durationMs ?? max;
      if (!Number.isFinite(d) || d <= 0) return [manager.rejectAction(id, "bad_duration", req.actor)];
      const now = deps.clock.monotonic();
      const until = now + Math.min(d, max); // pauses are time-limited (IEC 60601-1-8 ALARM PAUSED)
      return req.alertId === undefined ? manager.pauseAll(req.kind, until, req.actor, now) : manager.pauseAlert(req.alertId, req.kind, until, req.actor, now);
    },
    onClinicalInput(input) {
      if (!allowed(input.actor)) return [manager.rejectAction("*", "role_not_allowed", input.actor)];
      // Inputs arrive from clients as JSON: check the value, not just the type.
      if (!validClinical(input)) return [manager.note("action_rejected", { reason: "bad_clinical_input", input: input.type }, input.actor)];
      const now = deps.clock.monotonic();
      switch (input.type) {
        case "acvpu":
          acvpu = { value: input.value, at: now };
          acvpuSetAt = deps.clock.now();
          break;
        case "oxygen":
          onOxygen = input.onOxygen;
          break;
        case "spo2_scale":
          scale = input.scale;
          break;
        default:
          input satisfies never;
      }
      const { actor, ...data } = input;
      return [manager.note("clinical_input", { ...data, setAt: deps.clock.now() }, actor), ...evaluate()];
    },
    onExternalCondition(c) {
      if (!CONDITION_NAME.test(c.name)) return [manager.note("action_rejected", { reason: "bad_condition_name" })];
      external.set(c.name, c);
      return evaluate();
    },
    restore: (open) => open.flatMap((a) => manager.restore(a, deps.clock.monotonic())),
    openAlerts: () => manager.openAlerts(),
    stats: () => ({ ...counts, artifacts: { ...counts.artifacts }, dropped: { ...counts.dropped } }),
    clinical: () => clinicalStateOf(view(), config, deps.clock.monotonic(), acvpuSetAt),
  };
}
