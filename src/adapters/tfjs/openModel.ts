/**
 * The gateway's way in: never throws. A missing or corrupt model gives a clear error, an
 * UnavailableAnomalyModel (alerts say "model unavailable") and the technical condition to raise.
 */
import { modelUnavailableCondition, type TechnicalCondition } from "../../core/anomaly/advisory.js";
import { UnavailableAnomalyModel } from "../../core/anomaly/fakeModel.js";
import type { AnomalyModel } from "../../ports/anomalyModel.js";
import type { TfjsModelOptions } from "./tfjsAnomalyModel.js";

export type OpenedModel =
  | { readonly ok: true; readonly model: AnomalyModel; readonly backend: string; readonly fallbackReason?: string }
  | { readonly ok: false; readonly model: AnomalyModel; readonly error: string; readonly technical: TechnicalCondition };

export async function openAnomalyModel(dir: string, opts: TfjsModelOptions & { backend?: "auto" | "wasm" } = {}): Promise<OpenedModel> {
  try {
    // TensorFlow.js is imported here, not at the top: a gateway with the model disabled never loads
    // it (restart time, issue 9), and a broken install is "model unavailable", not a failed start.
    const { loadTfjsAnomalyModel } = await import("./tfjsAnomalyModel.js");
    const { model, backend } = await loadTfjsAnomalyModel(dir, opts);
    return backend.fallbackReason === undefined
      ? { ok: true, model, backend: backend.backend }
      : { ok: true, model, backend: backend.backend, fallbackReason: backend.fallbackReason };
  } catch (e) {
    const error = `anomaly model ${(e as Error).message}`;
    return { ok: false, model: new UnavailableAnomalyModel(error), error, technical: modelUnavailableCondition(error) };
  }
}
