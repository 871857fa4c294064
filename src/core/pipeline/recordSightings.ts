/**
 * Notes every decoded frame of a device nobody assigned to a patient, for `vitals-gateway devices
 * seen`: the installer sees which sensors are in range (over BLE or a bridge) without reading logs.
 * Only the sighting is kept (which driver recognised it, which vitals, RSSI, which bridge), never
 * a value: an unassigned device's readings belong to no patient and are not stored. Frames pass on
 * unchanged; attributeToPatient still refuses (and counts) them.
 */
import { tap, type MonoTypeOperatorFunction } from "rxjs";
import type { DecodedFrame } from "./decodeFrames.js";
import type { PatientOfDevice } from "./attributeToPatient.js";

export interface Sighting {
  readonly deviceId: string;
  readonly driverId: string;
  /** The vitals the frame carried, e.g. `body_weight,impedance`; `none` if it decoded to no reading. */
  readonly kinds: string;
  readonly rssi?: number;
  /** The bridge's topic, or `ble` for the hub's own radio, or the MQTT source. */
  readonly via: string;
  /** Wall-clock ms the adapter received it. */
  readonly at: number;
}

export interface SightingSink {
  record(sighting: Sighting): void;
  /** The device was assigned since: it is no longer "seen but unassigned". */
  forget(deviceId: string): void;
}

export function sightingOf(d: DecodedFrame): Sighting {
  const kinds = [...new Set(d.values.map((v) => v.vital))].join(",") || "none";
  const via = d.heard?.via ?? (d.frame.source.startsWith("ble:") ? "ble" : d.frame.source);
  return { deviceId: d.frame.deviceId, driverId: d.driverId, kinds, via, at: d.frame.receivedAt, ...(d.heard?.rssi === undefined ? {} : { rssi: d.heard.rssi }) };
}

export function recordSightings(patientOf: PatientOfDevice, sink: SightingSink): MonoTypeOperatorFunction<DecodedFrame> {
  return tap((d) => {
    if (patientOf(d.frame.deviceId) === undefined) sink.record(sightingOf(d));
    else sink.forget(d.frame.deviceId);
  });
}
