/**
 * One advert heard by several radios (two Theengs / OpenMQTTGateway bridges, a bridge and the
 * hub's own radio) counts once. Only advert sources are deduplicated: a GATT notification or a
 * JSON reading reaches the gateway through one path, and its repeats are real readings.
 *
 * A value is a repeat of one accepted before for the same device, vital, unit and value when
 *   - it carries the device's own clock (a reading time, or the advert's `timestamp` field, e.g.
 *     the Xiaomi scale's time of weighing) and that clock is the same, within `stampHorizonMs`:
 *     a scale re-advertises one weighing for tens of seconds, through every bridge in range, and
 *     its clock says exactly which weighing it is. The horizon keeps a scale with a stopped clock
 *     from hiding a later weighing of the same weight forever;
 *   - or, without a device clock, it arrives within `windowMs` of the accepted one: longer than
 *     the delivery skew between radios (bridges batch and retry over Wi-Fi), shorter than any
 *     clinical trend.
 * The window counts from the last ACCEPTED value, never from the last repeat, so a steady value
 * still gets through once per window: dropping repeats can never starve the "sensor silent" or
 * "frozen value" conditions. A different value is never dropped, so no clinical information is
 * lost: the worst case merges two true readings that had the same value within a few seconds.
 */
import { defer, filter, map, type OperatorFunction } from "rxjs";
import type { FrameSource } from "../model.js";
import type { DecodedFrame } from "./decodeFrames.js";

export interface DedupeOptions {
  readonly windowMs: number;
  readonly stampHorizonMs: number;
  /** Remembered values; the oldest go first (memory stays bounded on a long-running hub). */
  readonly maxKeys: number;
}

export const DEDUPE_DEFAULTS: DedupeOptions = { windowMs: 5_000, stampHorizonMs: 10 * 60_000, maxKeys: 4096 };

const ADVERTS: ReadonlySet<FrameSource> = new Set(["ble:adv", "mqtt:adv", "mqtt:bridge"]);

interface Accepted {
  readonly at: number;
  readonly stamp: number | string | undefined;
}

export function dedupeFrames(options: DedupeOptions = DEDUPE_DEFAULTS): OperatorFunction<DecodedFrame, DecodedFrame> {
  const isRepeat = (prior: Accepted | undefined, at: number, stamp: Accepted["stamp"]): boolean => {
    if (prior === undefined) return false;
    if (stamp !== undefined && prior.stamp !== undefined) return stamp === prior.stamp && at - prior.at < options.stampHorizonMs;
    return at - prior.at < options.windowMs;
  };
  return (frames) =>
    defer(() => {
      const accepted = new Map<string, Accepted>(); // per subscription: insertion order = age
      const remember = (key: string, entry: Accepted): void => {
        accepted.delete(key);
        accepted.set(key, entry);
        for (const oldest of accepted.keys()) {
          if (accepted.size <= options.maxKeys) break;
          accepted.delete(oldest);
        }
      };
      return frames.pipe(
        map((d): DecodedFrame | undefined => {
          if (!ADVERTS.has(d.frame.source) || d.values.length === 0) return d;
          const advertClock = d.fields?.["timestamp"];
          const values = d.values.filter((v) => {
            const key = `${d.frame.deviceId}|${v.vital}|${v.unit}|${v.value}`;
            const stamp = v.time ?? d.frame.deviceTime ?? (typeof advertClock === "string" ? advertClock : undefined);
            const at = d.frame.receivedAt;
            if (isRepeat(accepted.get(key), at, stamp)) return false;
            remember(key, { at, stamp });
            return true;
          });
          if (values.length === 0) return undefined;
          return values.length === d.values.length ? d : { ...d, values };
        }),
        filter((d): d is DecodedFrame => d !== undefined),
      );
    });
}
