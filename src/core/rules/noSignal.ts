/**
 * Vitals for which a 0 is never a measurement but a probe off or no signal (monitors report SpO2
 * 0 with the probe off; the rules' quality gate calls it the "zero" artifact). The console shows
 * such a value as an artifact and the history API leaves it out of charts. Battery, steps and
 * energy can truly be 0, so they are not here.
 */
import type { Vital } from "../model.js";

export const ZERO_MEANS_NO_SIGNAL: readonly Vital[] = [
  "respiratory_rate", "spo2", "systolic_bp", "diastolic_bp", "mean_arterial_pressure", "heart_rate", "pulse_rate",
  "body_temperature", "glucose", "body_weight", "perfusion_index", "height", "bmi", "body_fat",
];

export const zeroMeansNoSignal = (vital: Vital): boolean => ZERO_MEANS_NO_SIGNAL.includes(vital);
