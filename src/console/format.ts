/**
 * How a console says a value: clinical labels and units (never UCUM codes), sensible decimals,
 * the age of a value, when it counts as stale, and when it is an artifact rather than a
 * measurement. Pure.
 */
import type { Reading, Vital } from "../core/model.js";
import type { News2Parameter } from "../core/rules/news2.js";
import { zeroMeansNoSignal } from "../core/rules/noSignal.js";

interface VitalInfo {
  readonly label: string;
  /** Decimal places shown. */
  readonly decimals: number;
  /**
   * After this long without a new value it is shown faded as stale. Continuous sensors send every
   * few seconds; spot checks (BP, temperature, weight, glucose) are taken hours apart.
   */
  readonly staleMs: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const info = (label: string, decimals: number, staleMs: number): VitalInfo => ({ label, decimals, staleMs });

/** In the order a bed tile lists them: NEWS2 parameters first, then the rest. */
export const VITAL_INFO: Readonly<Partial<Record<Vital, VitalInfo>>> = {
  respiratory_rate: info("Respiration rate", 0, 5 * MIN),
  spo2: info("SpO₂", 0, 5 * MIN),
  systolic_bp: info("Systolic BP", 0, 4 * HOUR),
  diastolic_bp: info("Diastolic BP", 0, 4 * HOUR),
  mean_arterial_pressure: info("Mean arterial pressure", 0, 4 * HOUR),
  heart_rate: info("Heart rate", 0, 5 * MIN),
  pulse_rate: info("Pulse rate", 0, 5 * MIN),
  body_temperature: info("Temperature", 1, 8 * HOUR),
  glucose: info("Blood glucose", 1, 12 * HOUR),
  body_weight: info("Weight", 1, 48 * HOUR),
  perfusion_index: info("Perfusion index", 1, 5 * MIN),
  battery_level: info("Sensor battery", 0, 24 * HOUR),
  steps: info("Steps", 0, 24 * HOUR),
  height: info("Height", 2, 30 * 24 * HOUR),
  bmi: info("BMI", 1, 48 * HOUR),
  body_fat: info("Body fat", 1, 48 * HOUR),
  energy_expended: info("Energy expended", 0, 24 * HOUR),
};

/** Vitals a tile shows, in order (rr_interval and impedance are raw signals, not for a nurse). */
export const SHOWN_VITALS = Object.keys(VITAL_INFO) as Vital[];

const UNIT_LABELS: Readonly<Record<string, string>> = {
  Cel: "°C", "[degF]": "°F", "mm[Hg]": "mmHg", "[lb_av]": "lb", "{steps}": "steps", "[in_i]": "in", "kg/m2": "kg/m²", "/min": "/min", Ohm: "Ω",
};

export const unitLabel = (unit: string): string => UNIT_LABELS[unit] ?? unit;
export const vitalLabel = (vital: Vital): string => VITAL_INFO[vital]?.label ?? vital.replace(/_/g, " ");

/** "98 %", "37.2 °C", "12.0 mmHg" per the vital's decimals (mmHg as an integer). */
export function formatValue(r: Pick<Reading, "vital" | "value" | "unit">): string {
  const decimals = r.unit === "kPa" ? 1 : (VITAL_INFO[r.vital]?.decimals ?? 1);
  const unit = unitLabel(r.unit);
  return `${r.value.toFixed(decimals)}${unit === "%" ? " %" : ` ${unit}`}`;
}

/** "just now", "45 s ago", "2 min ago", "3 h ago", "2 d ago". */
export function ageText(ms: number): string {
  if (ms < 10_000) return "just now";
  if (ms < MIN) return `${Math.floor(ms / 1000)} s ago`;
  if (ms < HOUR) return `${Math.floor(ms / MIN)} min ago`;
  if (ms < 48 * HOUR) return `${Math.floor(ms / HOUR)} h ago`;
  return `${Math.floor(ms / (24 * HOUR))} d ago`;
}

/** "for 4 min" since an alarm was raised. */
export const durationText = (ms: number): string => (ms < MIN ? "for < 1 min" : `for ${ageText(ms).replace(" ago", "")}`);

export function isStale(r: Pick<Reading, "vital" | "time">, now: number): boolean {
  return now - r.time > (VITAL_INFO[r.vital]?.staleMs ?? 4 * HOUR);
}

/** Flagged by the decoder, or a 0 a sensor cannot measure (probe off): shown as such, not as a value. */
export function isArtifact(r: Pick<Reading, "vital" | "value" | "quality">): boolean {
  return r.quality.includes("artifact") || r.quality.includes("out_of_range") || (r.value === 0 && zeroMeansNoSignal(r.vital));
}

export const NEWS2_LABELS: Readonly<Record<News2Parameter, string>> = {
  respiratory_rate: "RR",
  spo2: "SpO₂",
  air_or_oxygen: "Air/O₂",
  systolic_bp: "Sys BP",
  pulse: "Pulse",
  consciousness: "ACVPU",
  temperature: "Temp",
};

export const ACVPU_TEXT = { A: "A alert", C: "C new confusion", V: "V voice", P: "P pain", U: "U unresponsive" } as const;

export const clockTime = (ms: number): string => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/**
 * Alarm messages are written by the rules with vital codes and UCUM units ("spo2", "mm[Hg]");
 * a nurse reads clinical words. Whole words only, so "spo2" in a longer token is left alone.
 */
const MESSAGE_WORDS: readonly [RegExp, string][] = [
  [/mm\[Hg\]/g, "mmHg"],
  [/\[degF\]/g, "°F"],
  [/(\d) Cel\b/g, "$1 °C"],
  [/\bair_or_oxygen\b/g, "air/O₂"],
  [/\bconsciousness\b/g, "ACVPU"],
  [/\bspo2\b/gi, "SpO₂"],
  [/\bsystolic[_ ]bp\b/gi, "systolic BP"],
  [/\bdiastolic[_ ]bp\b/gi, "diastolic BP"],
  [/\brespiratory[_ ]rate\b/gi, "respiration rate"],
  [/\bheart[_ ]rate\b/gi, "heart rate"],
  [/\bpulse[_ ]rate\b/gi, "pulse rate"],
  [/\bbody[_ ]temperature\b/gi, "temperature"],
];

export function clinicalText(message: string): string {
  return MESSAGE_WORDS.reduce((text, [pattern, word]) => text.replace(pattern, word), message);
}
