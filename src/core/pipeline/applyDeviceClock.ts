/**
 * Stored records keep their own time. A glucose meter or a spot-check oximeter can hand over a
 * measurement long after it was taken (RACP transfer, a device that came into range late); scored
 * at receipt, an hour-old SpO2 of 86 % would look like a desaturation now. The record's time stamp
 * is a Date Time on the *device's* clock (no time zone, often minutes off), so it is converted
 * through that device's clock offset, learned from its Current Time characteristic (0x2A2B):
 *
 *   time = record time stamp − (device clock − gateway clock)
 *
 * Without a known offset, or when the device says its clock is not set, or when the result lies
 * in the future, the record keeps the receipt time (`receipt_time`), as before: an unknown clock
 * is never guessed. Pure apart from the per-subscription offset table.
 */
import { defer, map, type OperatorFunction } from "rxjs";
import type { DecodedFrame } from "./decodeFrames.js";

/** Drivers whose `timestamp` field is the time the measurement was taken. */
export const MEASUREMENT_TIME_DRIVERS: ReadonlySet<string> = new Set(["bt-sig.glucose", "bt-sig.plx-spot-check", "bt-sig.blood-pressure", "bt-sig.temperature-measurement"]);
export const CURRENT_TIME_DRIVER = "bt-sig.current-time";
/** A record "taken" after it arrived beyond this is a stale offset (the device clock was reset). */
export const FUTURE_TOLERANCE_MS = 60_000;

/** A Date Time's ISO form (`2024-11-29T23:08:57`, no zone) as ms on the device's own clock. */
export function deviceClockMs(iso: unknown): number | undefined {
  if (typeof iso !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(iso)) return undefined;
  const ms = Date.parse(`${iso}Z`); // the device's wall clock read as if UTC; the offset absorbs its zone
  return Number.isFinite(ms) ? ms : undefined;
}

/** The measurement time of a record on the gateway's clock, or undefined to keep the receipt time. */
export function recordTime(frame: DecodedFrame, offsetMs: number | undefined): number | undefined {
  if (offsetMs === undefined || !MEASUREMENT_TIME_DRIVERS.has(frame.driverId)) return undefined;
  if (frame.fields?.["device_clock_set"] === false) return undefined;
  const stamp = deviceClockMs(frame.fields?.["timestamp"]);
  if (stamp === undefined) return undefined;
  const time = stamp - offsetMs;
  return time > frame.frame.receivedAt + FUTURE_TOLERANCE_MS ? undefined : time;
}

export function applyDeviceClock(): OperatorFunction<DecodedFrame, DecodedFrame> {
  return (frames) =>
    defer(() => {
      const offsets = new Map<string, number>();
      return frames.pipe(
        map((d) => {
          if (d.driverId === CURRENT_TIME_DRIVER) {
            const now = deviceClockMs(d.fields?.["date_time"]);
            const fraction = typeof d.fields?.["fractions256"] === "number" ? (d.fields["fractions256"] * 1000) / 256 : 0;
            if (now !== undefined) offsets.set(d.frame.deviceId, now + fraction - d.frame.receivedAt);
            return d;
          }
          const time = recordTime(d, offsets.get(d.frame.deviceId));
          if (time === undefined) return d;
          return { ...d, values: d.values.map((v) => (v.time === undefined ? { ...v, time } : v)) };
        }),
      );
    });
}
