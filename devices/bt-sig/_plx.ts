import { bitNames, type ByteReader, type Output } from "../../src/driverKit.js";

// Shared by PLX Spot-check (0x2A5E) and Continuous (0x2A5F) Measurement (Pulse Oximeter Service 1.0 §3.1.1.4-6).
const MEASUREMENT_STATUS = [
  undefined, undefined, undefined, undefined, undefined, // bits 0-4 reserved
  "measurement_ongoing", "early_estimated_data", "validated_data", "fully_qualified_data",
  "data_from_storage", "data_for_demonstration", "data_for_testing", "calibration_ongoing",
  "measurement_unavailable", "questionable_measurement", "invalid_measurement",
];
const DEVICE_SENSOR_STATUS = [
  "extended_display_update_ongoing", "equipment_malfunction", "signal_processing_irregularity", "inadequate_signal",
  "poor_signal", "low_perfusion", "erratic_signal", "nonpulsatile_signal", "questionable_pulse", "signal_analysis_ongoing",
  "sensor_interference", "sensor_unconnected_to_user", "unknown_sensor_connected", "sensor_displaced",
  "sensor_malfunctioning", "sensor_disconnected",
];
// Statuses under which the numbers are not a measurement of this patient now: no reading.
const NO_READING_STATUS = new Set(["measurement_unavailable", "invalid_measurement", "data_for_demonstration", "data_for_testing"]);
const NO_READING_SENSOR = new Set(["sensor_unconnected_to_user", "sensor_disconnected", "sensor_displaced"]);
// Statuses under which the oximeter doubts its own numbers: the readings are kept but flagged as
// artifacts, so they are stored and raise a technical alarm, never a NEWS2 score. Not
// `low_perfusion`: low perfusion is as much the patient's state (shock) as the signal's, oximeters
// still display the value, and calling it an artifact would hide a shocked patient's SpO2.
const QUESTIONABLE_STATUS = new Set(["questionable_measurement", "calibration_ongoing"]);
const QUESTIONABLE_SENSOR = new Set([
  "equipment_malfunction", "signal_processing_irregularity", "inadequate_signal", "poor_signal", "erratic_signal",
  "nonpulsatile_signal", "questionable_pulse", "sensor_interference", "unknown_sensor_connected", "sensor_malfunctioning",
]);

export const SPO2 = { min: 0, max: 100 }; // a percentage by definition
export const PULSE = { min: 0, max: 400 };

/**
 * What both PLX measurements end with, in this order, each present per its flag: measurement
 * status, device and sensor status, pulse amplitude index (→ perfusion_index); then no more bytes.
 */
export function statusAndPai(r: ByteReader, out: Output, f: { readonly status: boolean; readonly sensor: boolean; readonly pai: boolean }): void {
  if (f.status) measurementStatus(r, out);
  if (f.sensor) deviceSensorStatus(r, out);
  if (f.pai) out.medfloat("pulse_amplitude_index", r.sfloat("pulse_amplitude_index", SPO2), "perfusion_index", "%");
  r.end();
}

export function measurementStatus(r: ByteReader, out: Output): void {
  const raw = r.u16le("measurement_status");
  const names = bitNames(raw, MEASUREMENT_STATUS);
  out.field("measurement_status", { raw, flags: names });
  const stop = names.find((n) => NO_READING_STATUS.has(n));
  if (stop) out.suppress(`measurement status: ${stop}`);
  const doubt = names.find((n) => QUESTIONABLE_STATUS.has(n));
  if (doubt) out.questionable(`measurement status: ${doubt}`);
}

export function deviceSensorStatus(r: ByteReader, out: Output): void {
  const raw = r.u24le("device_and_sensor_status");
  const names = bitNames(raw, DEVICE_SENSOR_STATUS);
  out.field("device_and_sensor_status", { raw, flags: names });
  const stop = names.find((n) => NO_READING_SENSOR.has(n));
  if (stop) out.suppress(`device and sensor status: ${stop}`);
  const doubt = names.find((n) => QUESTIONABLE_SENSOR.has(n));
  if (doubt) out.questionable(`device and sensor status: ${doubt}`);
}
