/**
 * Frames from every source → decoded readings attributed to a patient (DESIGN §2), shared by the
 * alert path, the console, the model, the store and upstream; rejects are reported and counted.
 */
import { merge, share, tap, type Observable } from "rxjs";
import { driverModules } from "../../devices/index.js";
import type { Metrics, RejectStage } from "../adapters/http/metrics.js";
import { rateLimitedLog } from "../adapters/log/rateLimitedLog.js";
import { DriverRegistry } from "../core/decode/registry.js";
import type { Diagnostic } from "../core/errors.js";
import type { RawFrame, Reading } from "../core/model.js";
import { applyDeviceClock } from "../core/pipeline/applyDeviceClock.js";
import { attributeToPatient } from "../core/pipeline/attributeToPatient.js";
import { decodeFrames } from "../core/pipeline/decodeFrames.js";
import { dedupeFrames } from "../core/pipeline/dedupeFrames.js";
import { recordSightings, type SightingSink } from "../core/pipeline/recordSightings.js";
import type { Logger } from "../ports/logger.js";

export type Report = (stage: RejectStage) => (d: Diagnostic) => void;

/** Bad input: a clear message naming what and where, counted by code and stage, logged at a bounded rate. */
export function reporter(metrics: Metrics, log: Logger): Report {
  const badInput = rateLimitedLog(log); // first 10 lines per code per minute, then a count (a flood must not fill the disk)
  return (stage) => (d) => {
    metrics.rejected.inc({ code: d.code, stage });
    badInput.log(d.code, "warn", d.message, { code: d.code, stage, where: d.where, hex: d.hex });
  };
}

export const registry = new DriverRegistry(Object.values(driverModules).map((m) => m.driver));

export function readingsFrom(
  frames: readonly Observable<RawFrame>[],
  patientOf: (deviceId: string) => string | undefined,
  sightings: SightingSink,
  metrics: Metrics,
  report: Report,
): Observable<Reading> {
  return merge(...frames).pipe(
    tap((f) => metrics.framesReceived.inc({ source: f.source })),
    decodeFrames(registry, report("decode")),
    recordSightings(patientOf, sightings), // `devices seen`: heard but assigned to no patient
    applyDeviceClock(), // stored records (glucose, spot-check) keep the time they were taken
    dedupeFrames(), // one advert heard by two bridges, or a bridge and the hub's radio, counts once
    attributeToPatient(patientOf, report("attribute")),
    share(),
  );
}
