/** Loads the anomaly model for the gateway and builds its runner; a failure leaves rules alone running, with a technical alarm. */
import type { AlertingInput } from "../../core/alerting/alerting.js";
import type { ClinicalInput } from "../../core/alerting/patientAlerting.js";
import { RULE_FREEZE_NEWS2 } from "../../core/anomaly/advisory.js";
import { AnomalyRunner } from "../../core/anomaly/runner.js";
import type { Alert } from "../../core/model.js";
import type { GatewayConfig } from "../../config/types.js";
import { packagePath } from "../../packageRoot.js";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import { openAnomalyModel } from "./openModel.js";
import { GATEWAY_ID } from "../../core/gateway.js";

export async function startAnomaly(
  config: GatewayConfig,
  clock: Clock,
  log: Logger,
  report: (input: AlertingInput) => void,
  inAlarm: (patientId: string) => boolean,
): Promise<AnomalyRunner> {
  const dir = config.anomaly.modelDir || packagePath("models", "vitals-risk");
  const opened = await openAnomalyModel(dir, { budgetMs: config.anomaly.budgetMs });
  const { threshold, clearBelow, version } = opened.model.metadata;
  if (opened.ok) log.log("info", "anomaly model loaded", { version, backend: opened.backend, fallback: opened.fallbackReason });
  else log.log("error", `${opened.error}; alerting on rules alone`, { code: "model_unavailable" });
  return new AnomalyRunner(opened.model, { threshold, clearBelow }, clock, GATEWAY_ID, report, inAlarm, opened.ok ? undefined : opened.technical);
}

/** Scoring period: the config's, else the model's own step; a day when there is no runner (the tick does nothing). */
export function anomalyStepMs(config: GatewayConfig, runner: AnomalyRunner | undefined): number {
  if (!runner) return 86_400_000;
  return config.anomaly.stepMs || runner.stepMs;
}

/** A patient in a NEWS2 high alarm: the model's baselines freeze (anomaly-detection.md §7). */
export function inHighAlarm(open: readonly Alert[]): boolean {
  return open.some((a) => a.cause === "news2" && (a.news2?.total ?? 0) >= RULE_FREEZE_NEWS2);
}

/** What a nurse's clinical input tells the model (unknown stays unknown). */
export function anomalyContextOf(input: ClinicalInput): ["on_oxygen" | "not_alert", boolean] | [] {
  switch (input.type) {
    case "acvpu":
      return ["not_alert", input.value !== "A"];
    case "oxygen":
      return ["on_oxygen", input.onOxygen];
    case "spo2_scale":
      return [];
    default:
      return input satisfies never;
  }
}
