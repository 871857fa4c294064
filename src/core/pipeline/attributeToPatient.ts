/**
 * Decoded values → Readings of a patient. The device-to-patient map is looked up per frame so a
 * reloaded config applies at once; a device nobody assigned is reported (unknown_device), never
 * guessed.
 */
import { mergeMap, type OperatorFunction } from "rxjs";
import type { Diagnostic } from "../errors.js";
import type { Reading } from "../model.js";
import type { DecodedFrame } from "./decodeFrames.js";

export type PatientOfDevice = (deviceId: string) => string | undefined;

export function attributeToPatient(patientOf: PatientOfDevice, report: (d: Diagnostic) => void): OperatorFunction<DecodedFrame, Reading> {
  return (decoded) =>
    decoded.pipe(
      mergeMap(({ frame, values }) => {
        const patientId = patientOf(frame.deviceId);
        if (patientId === undefined) {
          report({ code: "unknown_device", message: `device '${frame.deviceId}' is not assigned to a patient (config /devices)`, where: `device ${frame.deviceId}` });
          return [];
        }
        return values.map((v): Reading => {
          // DESIGN §3: device time if it has one, else receipt; the flag says which.
          const deviceTime = v.time ?? frame.deviceTime;
          const base = {
            patientId,
            deviceId: frame.deviceId,
            vital: v.vital,
            value: v.value,
            unit: v.unit,
            time: deviceTime ?? frame.receivedAt,
            receivedAt: frame.receivedAt,
            // A value its own device calls questionable is kept, flagged, and never scored (../rules/quality.ts).
            quality: v.artifact === undefined ? ([deviceTime === undefined ? "receipt_time" : "device_time"] as const) : ([deviceTime === undefined ? "receipt_time" : "device_time", "artifact"] as const),
          };
          return v.precision === undefined ? base : { ...base, precision: v.precision };
        });
      }),
    );
}
