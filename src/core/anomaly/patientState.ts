/**
 * What the anomaly layer remembers about one patient: last value per input, personal baselines
 * and the snapshots of the last WINDOW_STEPS ticks. Pure: `observe` and `tick` return new states.
 * Live, the pipeline calls `observe` per reading and `tick` every `stepMs`; the eval harness does
 * the same in virtual time, so both score identical windows.
 */
import { CHANNELS, CONTEXT_MAX_AGE_MS, MODEL_CHANNELS, plausible, type ContextInput, type ModelChannel } from "./channels.js";
import { deviation, emptyBaseline, updateBaseline, type Baseline } from "./baseline.js";

/** Hourly steps × 6: the ward charting rate, and the window the committed model was trained on. */
export const WINDOW_STEPS = 6;
export const DEFAULT_STEP_MS = 3_600_000;
/** ≈ 12-step memory: the "how has this patient been today" context a single window lacks. */
export const SLOW_ALPHA = 1 / 12;

export interface Observation {
  readonly input: ModelChannel | ContextInput;
  readonly value: number;
  /** ms, same clock as `tick`'s `now`. */
  readonly time: number;
}

/** One tick's view: NaN where a channel had no fresh, plausible value. */
export interface Snapshot {
  readonly time: number;
  /** Indexed like MODEL_CHANNELS. */
  readonly values: readonly number[];
  /** Deviation from the personal baseline in baseline scales (NaN when the value is). */
  readonly deviations: readonly number[];
  readonly onOxygen: number;
  readonly notAlert: number;
}

interface Stamped {
  readonly value: number;
  readonly time: number;
}

export interface PatientState {
  readonly last: Readonly<Partial<Record<ModelChannel | ContextInput, Stamped>>>;
  readonly baselines: Readonly<Record<ModelChannel, Baseline>>;
  /** Newest first, at most WINDOW_STEPS. */
  readonly steps: readonly Snapshot[];
  readonly lastTick: number;
  /** Slow EWMA (SLOW_ALPHA per tick) of each channel's fresh values, NaN until the first one; indexed like MODEL_CHANNELS. */
  readonly slow: readonly number[];
  /** Observations dropped as artifacts (non-finite or outside the plausible range). */
  readonly artifacts: number;
}

export function newPatientState(): PatientState {
  const baselines = Object.fromEntries(MODEL_CHANNELS.map((c) => [c, emptyBaseline(c)])) as Record<ModelChannel, Baseline>;
  return { last: {}, baselines, steps: [], lastTick: Number.NEGATIVE_INFINITY, artifacts: 0, slow: MODEL_CHANNELS.map(() => Number.NaN) };
}

function acceptable(o: Observation): boolean {
  if (!Number.isFinite(o.value) || !Number.isFinite(o.time)) return false;
  if (o.input === "on_oxygen" || o.input === "not_alert") return o.value === 0 || o.value === 1;
  return plausible(o.input, o.value);
}

/** Records a reading; artifacts are counted, not kept. Out-of-order readings older than the current one are ignored. */
export function observe(s: PatientState, o: Observation): PatientState {
  if (!acceptable(o)) return { ...s, artifacts: s.artifacts + 1 };
  const prev = s.last[o.input];
  if (prev && prev.time > o.time) return s;
  return { ...s, last: { ...s.last, [o.input]: { value: o.value, time: o.time } } };
}

function fresh(v: Stamped | undefined, now: number, maxAge: number): number {
  return v && now - v.time <= maxAge && v.time <= now ? v.value : Number.NaN;
}

/**
 * Closes a step at `now`: snapshots the latest fresh values, scores them against the baseline as it
 * stood before this step, then folds values that arrived since the previous tick into the baseline
 * unless `frozen` (the patient is in alarm).
 */
export function tick(s: PatientState, now: number, frozen: boolean): PatientState {
  const values: number[] = [];
  const deviations: number[] = [];
  const baselines = { ...s.baselines };
  for (const c of MODEL_CHANNELS) {
    const v = fresh(s.last[c], now, CHANNELS[c].maxAgeMs);
    values.push(v);
    deviations.push(Number.isNaN(v) ? Number.NaN : deviation(s.baselines[c], v));
    const lastTime = s.last[c]?.time ?? Number.NEGATIVE_INFINITY;
    // Only new readings update the baseline: a carried-forward value must not count twice.
    if (!Number.isNaN(v) && lastTime > s.lastTick) baselines[c] = updateBaseline(c, s.baselines[c], v, frozen);
  }
  const snap: Snapshot = {
    time: now,
    values,
    deviations,
    onOxygen: fresh(s.last.on_oxygen, now, CONTEXT_MAX_AGE_MS),
    notAlert: fresh(s.last.not_alert, now, CONTEXT_MAX_AGE_MS),
  };
  const slow = s.slow.map((prev, i) => {
    const v = values[i]!;
    if (Number.isNaN(v)) return prev;
    return Number.isNaN(prev) ? v : prev + SLOW_ALPHA * (v - prev);
  });
  return { ...s, baselines, steps: [snap, ...s.steps].slice(0, WINDOW_STEPS), lastTick: now, slow };
}
