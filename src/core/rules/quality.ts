/**
 * Signal-quality gates, one vital at a time (research/anomaly-detection.md §7.1): a reading is
 * either a valid value the rules may use, an artifact (a technical condition, never a
 * physiological alarm), or dropped (duplicate or out of order). Pure; state in, state out.
 *
 * Deterministic for bad input: NaN/±Infinity and unknown units are artifacts; a device time equal
 * to the last one is a duplicate, an earlier one is out of order (both dropped and counted).
 */
import type { Threshold, VitalQuality } from "../alerting/config.js";

export const QUALITY_VERDICTS = ["valid", "artifact", "dropped"] as const;
export type QualityVerdict = (typeof QUALITY_VERDICTS)[number];

/** `implausible`: fine alone, impossible beside another channel (./crossChannel.ts, e.g. a 74/10 cuff reading). */
export const ARTIFACT_REASONS = ["not_finite", "unit", "zero", "out_of_range", "jump", "flagged", "implausible"] as const;
export type ArtifactReason = (typeof ARTIFACT_REASONS)[number];
export const DROP_REASONS = ["duplicate", "out_of_order"] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface VitalTrack {
  /** Device time of the last reading accepted for ordering (valid or artifact). */
  readonly lastTime?: number;
  /** Last valid value, its device time and monotonic arrival. */
  readonly value?: number;
  readonly valueTime?: number;
  readonly valueAt?: number;
  /** Monotonic arrival of the last reading of any verdict except dropped: for dropout. */
  readonly seenAt?: number;
  /** Whether the newest non-dropped reading was an artifact, and since when (monotonic). */
  readonly artifactSince?: number;
  readonly artifactReason?: ArtifactReason;
  /** Start of the current run of identical valid values (monotonic): for flat-line. */
  readonly flatSince?: number;
  /** A value far from `value` seen `count` times in a row; believed after jumpConfirmCount. */
  readonly jump?: { readonly value: number; readonly count: number };
}

export type GateResult =
  | { readonly verdict: "valid"; readonly track: VitalTrack }
  | { readonly verdict: "artifact"; readonly reason: ArtifactReason; readonly track: VitalTrack }
  | { readonly verdict: "dropped"; readonly reason: DropReason; readonly track: VitalTrack };

export interface GateInput {
  /** Value in the canonical unit, or undefined when the unit could not be converted. */
  readonly value: number | undefined;
  /** The driver marked the reading as an artifact (e.g. no sensor contact): believed as is. */
  readonly flagged?: boolean;
  readonly time: number;
  /**
   * `time` came from the device's clock. Only then can two readings be duplicates or out of order:
   * a receipt time is the order of arrival (two frames in the same millisecond are two frames, and
   * a wall clock stepped back by NTP must not drop a patient's readings).
   */
  readonly deviceTime?: boolean;
  readonly now: number;
}

export function gateReading(track: VitalTrack, input: GateInput, q: VitalQuality, limits: Threshold | undefined, confirmCount: number): GateResult {
  const { value, now } = input;
  if (!Number.isFinite(input.time)) return { verdict: "dropped", reason: "out_of_order", track };
  if (input.deviceTime && track.lastTime !== undefined && input.time === track.lastTime) return { verdict: "dropped", reason: "duplicate", track };
  if (input.deviceTime && track.lastTime !== undefined && input.time < track.lastTime) return { verdict: "dropped", reason: "out_of_order", track };
  const time = Math.max(input.time, track.lastTime ?? input.time); // receipt times never run backwards here
  const seen: VitalTrack = { ...track, lastTime: time, seenAt: now };
  const artifact = (reason: ArtifactReason, extra: Partial<VitalTrack> = {}): GateResult => ({
    verdict: "artifact",
    reason,
    track: { ...seen, ...extra, artifactSince: track.artifactSince ?? now, artifactReason: reason },
  });
  if (input.flagged) return artifact("flagged");
  if (value === undefined) return artifact("unit");
  if (!Number.isFinite(value)) return artifact("not_finite");
  // Monitors report 0 for "no signal" (MIMIC-II numerics: SpO2 0 with the probe off).
  if (value === 0) return artifact("zero");
  if (value < q.min || value > q.max || (limits?.artifactBelow !== undefined && value < limits.artifactBelow)) return artifact("out_of_range");
  if (q.maxJump && track.value !== undefined && track.valueTime !== undefined) {
    const minutes = Math.max(0, time - track.valueTime) / 60_000;
    const allowed = q.maxJump.abs + q.maxJump.perMinute * minutes;
    if (Math.abs(value - track.value) > allowed) {
      // A real step change (AF onset) repeats; a motion artifact does not.
      const near = track.jump !== undefined && Math.abs(value - track.jump.value) <= q.maxJump.abs;
      const count = near && track.jump ? track.jump.count + 1 : 1;
      if (count < confirmCount) return artifact("jump", { jump: { value, count } });
    }
  }
  const flatSince = track.value === value && track.flatSince !== undefined ? track.flatSince : now;
  const next: { -readonly [K in keyof VitalTrack]: VitalTrack[K] } = { ...seen, value, valueTime: time, valueAt: now, flatSince };
  delete next.artifactSince; // a valid reading ends the artifact episode and any pending jump
  delete next.artifactReason;
  delete next.jump;
  return { verdict: "valid", track: next };
}

/**
 * A reading already accepted as valid turns out impossible once its partner arrives (the diastolic
 * of the same cuff measurement comes after the systolic): the same track as if it had been an
 * artifact, so the rules stop using the value at once.
 */
export function demoteToArtifact(track: VitalTrack, reason: ArtifactReason, now: number): VitalTrack {
  return { ...track, artifactSince: track.artifactSince ?? now, artifactReason: reason };
}

/** The value the rules may use now: valid, fresh, not superseded by an artifact, not frozen. */
export function usableValue(track: VitalTrack, q: VitalQuality, now: number): number | undefined {
  if (track.value === undefined || track.valueAt === undefined) return undefined;
  if (track.artifactSince !== undefined) return undefined;
  if (now - track.valueAt > q.maxAgeMs) return undefined;
  if (isFlatlined(track, q, now)) return undefined;
  return track.value;
}

export function isFlatlined(track: VitalTrack, q: VitalQuality, now: number): boolean {
  return q.flatlineMs !== null && track.flatSince !== undefined && track.valueAt !== undefined && track.artifactSince === undefined && track.valueAt - track.flatSince >= q.flatlineMs && now - track.valueAt <= q.maxAgeMs;
}

export function isDroppedOut(track: VitalTrack, q: VitalQuality, now: number): boolean {
  return q.dropoutMs !== null && track.seenAt !== undefined && now - track.seenAt >= q.dropoutMs;
}
