import { bitNames, crc16Mcrf4xx, type ByteReader } from "../../src/driverKit.js";

// CGM Sensor Status Annunciation (CGMS 1.0.1 §3.2.1.4), as a 24-bit number: Status octet bits 0-7,
// Cal/Temp octet bits 8-15, Warning octet bits 16-23. Shared by CGM Measurement and CGM Status.
export const ANNUNCIATION = [
  "session_stopped", "device_battery_low", "sensor_type_incorrect", "sensor_malfunction", "device_specific_alert", "general_device_fault", undefined, undefined,
  "time_synchronization_required", "calibration_not_allowed", "calibration_recommended", "calibration_required", "sensor_temperature_too_high", "sensor_temperature_too_low", undefined, undefined,
  "below_patient_low", "above_patient_high", "below_hypo", "above_hyper", "rate_of_decrease_exceeded", "rate_of_increase_exceeded", "below_device_range", "above_device_range",
];
// Annunciations under which the concentration is not a valid measurement of the patient (a clamp or a fault).
export const INVALID = new Set(["session_stopped", "sensor_type_incorrect", "sensor_malfunction", "general_device_fault", "below_device_range", "above_device_range"]);

export function annunciation(value: number): string[] {
  return bitNames(value, ANNUNCIATION);
}

/**
 * E2E-CRC (CGMS §3.2.1.5): CRC-16/MCRF4XX over the bytes from `start` to the CRC. A mismatch rejects
 * the record; a corrupted glucose value must never become a reading.
 */
export function checkCrc(r: ByteReader, start: number): string {
  const at = r.offset;
  const sent = r.u16le("e2e_crc");
  const computed = crc16Mcrf4xx(r.bytes, start, at);
  if (sent !== computed) r.fail("decode_malformed", "e2e_crc", at, `CRC 0x${hex4(sent)} does not match computed 0x${hex4(computed)}`);
  return hex4(sent);
}

const hex4 = (n: number): string => n.toString(16).padStart(4, "0");
