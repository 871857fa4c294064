import type { Observable } from "rxjs";
import type { RawFrame } from "../core/model.js";
import type { Diagnostic } from "../core/errors.js";
import type { LinkState } from "../core/link.js";

/** An adapter that turns device callbacks into frames; it parses nothing. */
export interface SensorSource {
  readonly frames$: Observable<RawFrame>;
  /** Payloads the adapter could not even frame (e.g. an MQTT topic it cannot read). */
  readonly diagnostics$: Observable<Diagnostic>;
  /** The source's own link (e.g. to its broker); the gateway turns a lasting loss into a technical alarm. */
  readonly link$: Observable<LinkState>;
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly connected: boolean;
}
