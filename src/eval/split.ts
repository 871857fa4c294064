/** Deterministic held-out split by record id hash: no stay in the test split is ever trained on. */
import type { ModelMetadata } from "../ports/anomalyModel.js";

/** FNV-1a 32-bit of a string's UTF-16 code units (ids are ASCII digits). */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export type Split = ModelMetadata["split"];
export const DEFAULT_SPLIT: Split = { hash: "fnv1a32", modulo: 100, testBelow: 30 };
/** Inside the training part, this band picks the threshold and stops training (never the test split). */
export const VALIDATION_BAND = { from: 30, below: 45 } as const;

export function bucket(recordId: string, split: Split): number {
  return fnv1a32(recordId) % split.modulo;
}

export function isHeldOut(recordId: string, split: Split): boolean {
  return bucket(recordId, split) < split.testBelow;
}
