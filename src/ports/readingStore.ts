import type { Reading, Vital } from "../core/model.js";

export interface ReadingQuery {
  readonly patientId: string;
  readonly vital?: Vital;
  /** Wall-clock ms, inclusive. */
  readonly since: number;
  readonly limit?: number;
}

/** Durable vitals history. Batches are written in one transaction or not at all. */
export interface ReadingStore {
  /**
   * Returns how many were new. A device-timed reading already stored (same device, vital and
   * device time: an MQTT redelivery or a bridge's replay) is skipped, never stored twice.
   */
  appendBatch(readings: readonly Reading[]): number;
  readSince(query: ReadingQuery): Reading[];
  /** Latest reading per vital for a patient. */
  latest(patientId: string): Reading[];
  count(): number;
  /** The store answers a trivial query (for /readyz). */
  healthy(): boolean;
  /** Deletes readings with `time` before this (wall ms); returns how many. */
  pruneBefore(time: number): number;
  close(): void;
}
