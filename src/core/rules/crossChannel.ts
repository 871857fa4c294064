/**
 * Signal-quality gates that look at one channel against another: ../rules/quality.ts judges each
 * vital alone, and an artifact inside the plausible range passes it. Two such artifacts fooled
 * NEWS2 on the MIMIC-II s25047 record (test/fixtures/mimic2/s25047_README.md): SpO2 51–71 % while
 * the pleth pulse read 102–149 /min and the ECG 62–83 /min, and a cuff reading of 74/10 mmHg.
 * Pure; every limit has its source at the line.
 */

// ── Pleth pulse rate vs ECG heart rate ─────────────────────────────────────────────────────────

/**
 * How far the pleth pulse rate may sit from the ECG heart rate before the pleth is not measuring
 * the patient. The sum of what each meter may be off by itself:
 * - ECG: ±10 % or ±5 /min, whichever is greater (IEC 60601-2-27:2011, 201.12.1.101.15, heart
 *   rate meter accuracy);
 * - pleth: ±5 /min, above the ±3 /min A_rms that oximeters commonly declare under
 *   ISO 80601-2-61:2017, 201.12.1.104 (pulse rate accuracy is declared by the maker), to allow for
 *   different averaging times of the two meters.
 * At 60 /min the tolerance is 11 /min, at 120 /min 17 /min.
 */
export function pulseTolerance(ecgHeartRate: number): number {
  return Math.max(5, 0.1 * ecgHeartRate) + 5;
}

/**
 * Two values are compared only when measured this close in time: a 1/min monitor row has both
 * at one time; a chest strap and a separate oximeter at 1 Hz are a second or two apart.
 */
export const PULSE_PAIR_WINDOW_MS = 30_000;

export interface TimedValue {
  readonly value: number;
  /** Device (or receipt) time of the value, ms. */
  readonly time: number;
}

export const PLETH_VERDICTS = ["agrees", "disagrees", "pleth_invalid", "unknown"] as const;
export type PlethVerdict = (typeof PLETH_VERDICTS)[number];

/**
 * Whether the pleth (SpO2 and its pulse rate) is measuring the patient, judged against the ECG.
 * - `disagrees`: both usable, measured together, and further apart than `pulseTolerance`;
 * - `pleth_invalid`: the pleth's pulse rate or its SpO2 is currently an artifact (0, 277 /min,
 *   SpO2 42 %): one probe's two numbers stand or fall together;
 * - `unknown`: no ECG, or not measured together: nothing to check against, SpO2 is used as is (a
 *   pulse oximeter alone is a valid NEWS2 source);
 * - `agrees` otherwise.
 */
export function judgePleth(ecg: TimedValue | undefined, pleth: TimedValue | undefined, plethArtifact: boolean): PlethVerdict {
  if (plethArtifact) return "pleth_invalid";
  if (ecg === undefined || pleth === undefined) return "unknown";
  if (!Number.isFinite(ecg.value) || !Number.isFinite(pleth.value)) return "unknown";
  if (Math.abs(ecg.time - pleth.time) > PULSE_PAIR_WINDOW_MS) return "unknown";
  return Math.abs(ecg.value - pleth.value) > pulseTolerance(ecg.value) ? "disagrees" : "agrees";
}

/**
 * A pleth that disagreed with the ECG (or was an artifact while the ECG itself was failing) stays
 * suspect until it agrees with the ECG again, or for this long when the ECG cannot tell (leads off
 * right after the disagreement, as in s25047 minute 45, where SpO2 78 % with no ECG followed five
 * minutes of 43–71 % against a normal ECG). After it, the oximeter is believed again, as any lone
 * oximeter is; a patient with no ECG is never held (its probe-offs are judged by the per-vital
 * gate alone). 5 min is the freshness limit of the continuous vitals (alerting config `maxAgeMs`).
 */
export const PLETH_DOUBT_HOLD_MS = 5 * 60_000;

export const PLETH_DOUBTS = ["disagrees", "pleth_invalid", "unconfirmed"] as const;
export type PlethDoubt = (typeof PLETH_DOUBTS)[number];

/** Why SpO2 and the pleth pulse cannot be used now, or undefined; `doubtAt`: the last time the verdict was a doubt. */
export function plethDoubt(verdict: PlethVerdict, doubtAt: number | undefined, now: number): PlethDoubt | undefined {
  if (verdict === "disagrees" || verdict === "pleth_invalid") return verdict;
  if (verdict === "unknown" && doubtAt !== undefined && now - doubtAt < PLETH_DOUBT_HOLD_MS) return "unconfirmed";
  return undefined;
}

// ── Non-invasive (cuff) blood pressure ─────────────────────────────────────────────────────────

/**
 * Limits of a believable cuff reading, in mmHg. From the arterial-pressure signal abnormality
 * criteria of Sun JX, Reisner AT, Mark RG, "A signal abnormality index for arterial blood pressure
 * waveforms", Computers in Cardiology 2006;33:13–16 (diastolic < 20 mmHg, pulse pressure < 20
 * mmHg, mean < 30 mmHg are abnormal), with the pulse-pressure floor lowered to 10 mmHg: a narrow
 * pulse pressure is itself a sign of shock or tamponade, and calling a real one an artifact would
 * hide a falling systolic from NEWS2 (the patient's side; the technical alarm still tells).
 */
export const CUFF_LIMITS = {
  diastolicFloor: 20,
  pulsePressureMin: 10,
  // Above any pulse pressure reported in isolated systolic hypertension (≈ 100–130 mmHg); a wider
  // one means the diastolic is a dropout, as in 74/10.
  pulsePressureMax: 150,
} as const;

export const CUFF_FAULTS = ["systolic_not_above_diastolic", "diastolic_below_floor", "pulse_pressure_narrow", "pulse_pressure_wide", "map_outside_range"] as const;
export type CuffFault = (typeof CUFF_FAULTS)[number];

export interface CuffReading {
  readonly systolic: number;
  readonly diastolic?: number | undefined;
  readonly mean?: number | undefined;
}

/**
 * The first reason a cuff reading cannot be a blood pressure, or undefined when it can be (or when
 * only a systolic is known: nothing to check it against). MAP is the time-average of the pressure
 * wave, so it must lie strictly between its minimum (diastolic) and maximum (systolic); an
 * oscillometric cuff measures MAP and derives the other two, so a MAP outside them means the
 * derivation failed.
 */
export function cuffFault(r: CuffReading): CuffFault | undefined {
  const { systolic: s, diastolic: d, mean: m } = r;
  if (d !== undefined && Number.isFinite(d)) {
    if (s <= d) return "systolic_not_above_diastolic";
    if (d < CUFF_LIMITS.diastolicFloor) return "diastolic_below_floor";
    if (s - d < CUFF_LIMITS.pulsePressureMin) return "pulse_pressure_narrow";
    if (s - d > CUFF_LIMITS.pulsePressureMax) return "pulse_pressure_wide";
    if (m !== undefined && Number.isFinite(m) && (m <= d || m >= s)) return "map_outside_range";
  } else if (m !== undefined && Number.isFinite(m) && m >= s) return "map_outside_range";
  return undefined;
}

/** Systolic, diastolic and mean of one cuff measurement arrive as separate readings: this window pairs them. */
export const CUFF_PAIR_WINDOW_MS = 2_000;

/** The parts of one cuff measurement seen so far, from one device at one time. */
export interface CuffPairing extends Partial<CuffReading> {
  readonly deviceId: string;
  readonly time: number;
}

export const CUFF_PARTS = { systolic_bp: "systolic", diastolic_bp: "diastolic", mean_arterial_pressure: "mean" } as const;
export type CuffVital = keyof typeof CUFF_PARTS;

export function isCuffVital(vital: string): vital is CuffVital {
  return Object.hasOwn(CUFF_PARTS, vital);
}

/**
 * Adds one part (value in mmHg, undefined when its unit could not be converted) to the measurement
 * it belongs to: same device, within CUFF_PAIR_WINDOW_MS. A part from elsewhere starts a new one.
 */
export function pairCuff(prev: CuffPairing | undefined, vital: CuffVital, deviceId: string, time: number, value: number | undefined): CuffPairing {
  const same = prev !== undefined && prev.deviceId === deviceId && Math.abs(prev.time - time) <= CUFF_PAIR_WINDOW_MS;
  const base: CuffPairing = same ? prev : { deviceId, time };
  return { ...base, [CUFF_PARTS[vital]]: value };
}

/** The fault of a paired measurement once its systolic is known. */
export function pairedCuffFault(p: CuffPairing | undefined): CuffFault | undefined {
  return p?.systolic === undefined || !Number.isFinite(p.systolic) ? undefined : cuffFault({ systolic: p.systolic, diastolic: p.diastolic, mean: p.mean });
}
