/**
 * GATT Date Time (0x2A08; GSS §3.70): year u16 (1582..9999, 0 = unknown), month (1..12, 0 = unknown),
 * day (1..31, 0 = unknown), hours, minutes, seconds. It carries no time zone: it is the device's
 * local wall clock, so it is shown as an ISO local string and never silently turned into an instant.
 */
import type { ByteReader } from "./kit.js";

export interface DateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

export function readDateTime(r: ByteReader, field: string): DateTime {
  const part = (name: string, min: number, max: number, read: () => number, unknownZero: boolean): number => {
    const at = r.offset;
    const v = read();
    if (unknownZero && v === 0) return v;
    return r.inRange(v, { min, max }, `${field}.${name}`, at);
  };
  return {
    year: part("year", 1582, 9999, () => r.u16le(`${field}.year`), true),
    month: part("month", 1, 12, () => r.u8(`${field}.month`), true),
    day: part("day", 1, 31, () => r.u8(`${field}.day`), true),
    hours: part("hours", 0, 23, () => r.u8(`${field}.hours`), false),
    minutes: part("minutes", 0, 59, () => r.u8(`${field}.minutes`), false),
    seconds: part("seconds", 0, 59, () => r.u8(`${field}.seconds`), false),
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

/** `2012-12-05T11:50:27`; unknown parts stay zeros (`0000-04-17T20:41:59`). */
export function dateTimeIso(dt: DateTime): string {
  return `${pad(dt.year, 4)}-${pad(dt.month)}-${pad(dt.day)}T${pad(dt.hours)}:${pad(dt.minutes)}:${pad(dt.seconds)}`;
}

/** Calendar arithmetic (Glucose base time + time offset); undefined when the date is not fully known. */
export function addMinutes(dt: DateTime, minutes: number): DateTime | undefined {
  if (dt.year === 0 || dt.month === 0 || dt.day === 0) return undefined;
  const d = new Date(Date.UTC(dt.year, dt.month - 1, dt.day, dt.hours, dt.minutes + minutes, dt.seconds));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hours: d.getUTCHours(),
    minutes: d.getUTCMinutes(),
    seconds: d.getUTCSeconds(),
  };
}
