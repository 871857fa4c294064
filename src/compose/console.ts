/**
 * The nurses' console hub wired to the alert path: what a console sees on connect (the engine's
 * open alerts — from memory, so a failing disk hides nothing), nurse actions submitted through
 * the one path (a refusal is answered at once), and the count of nurse consoles as a link.
 */
import { BehaviorSubject } from "rxjs";
import { startConsoleData, type ConsoleData } from "../adapters/http/consoleData.js";
import type { Sessions } from "../adapters/http/sessions.js";
import type { Metrics } from "../adapters/http/metrics.js";
import type { AlarmStore } from "../adapters/sqlite/alarmStore.js";
import type { ReadingStore } from "../ports/readingStore.js";
import { anomalyContextOf } from "../adapters/tfjs/startAnomaly.js";
import { WsHub } from "../adapters/ws/hub.js";
import { toAlertingInput } from "../adapters/ws/nurseActions.js";
import type { GatewayConfig } from "../config/types.js";
import type { Alerting, AlertingInput } from "../core/alerting/alerting.js";
import type { AlertEvent } from "../core/alerting/events.js";
import type { AnomalyRunner } from "../core/anomaly/runner.js";
import type { Alert } from "../core/model.js";
import type { LinkState } from "../core/link.js";
import type { Clock } from "../ports/clock.js";

export interface ConsoleParts {
  readonly sessions: Sessions;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly config: () => GatewayConfig;
  readonly readings: Pick<ReadingStore, "latest">;
  readonly alarms: AlarmStore;
  readonly openAlerts: () => readonly Alert[];
  /** NEWS2 per parameter and the nurse's entries, for the bed board (issue 10). */
  readonly alerting: Pick<Alerting, "clinical">;
  readonly submit: (input: AlertingInput) => readonly AlertEvent[];
  readonly anomaly: AnomalyRunner | undefined;
}

export function consoleHub(p: ConsoleParts): { hub: WsHub; nurses: BehaviorSubject<LinkState>; consoleData: ConsoleData } {
  const nurses = new BehaviorSubject<LinkState>({ up: false });
  // What the bed board needs beyond readings and alerts, and the history API; it broadcasts through the hub below.
  const consoleData = startConsoleData({
    dataDir: p.config().dataDir,
    patients: () => p.config().patients,
    latest: (id) => p.readings.latest(id),
    alerting: p.alerting,
    openAlerts: p.openAlerts,
    sessions: p.sessions,
    clock: p.clock,
    metrics: p.metrics,
    broadcast: (m) => hub.broadcast(m),
  });
  const patientOfAlert = (id: string) => p.openAlerts().find((a) => a.id === id)?.patientId ?? p.alarms.get(id)?.patientId;
  const hub = new WsHub(
    p.sessions,
    p.metrics,
    {
      snapshot: () => consoleData.snapshot([...p.openAlerts()].sort((a, b) => a.raisedAt - b.raisedAt).map((a) => p.anomaly?.decorate(a) ?? a)),
      onReceived: (alertId, at) => p.alarms.markDelivered(alertId, at),
      onAction: (action, who, client) => {
        const input = toAlertingInput(action, who, client, patientOfAlert, (id) => p.config().patients.some((patient) => patient.id === id));
        if ("refused" in input) return input.refused;
        const context = input.type === "clinical" ? anomalyContextOf(input.input) : [];
        if (input.type === "clinical" && context.length === 2) p.anomaly?.context(input.patientId, context[0], context[1]);
        const rejected = p.submit(input).find((e) => e.type === "reject");
        return rejected?.type === "reject" ? `refused: ${rejected.reason.replace(/_/g, " ")}` : undefined;
      },
      // DESIGN §5: losing every nurse client is a technical alarm (shown to the next one to connect).
      onClientCount: (n) => nurses.next({ up: n > 0 }),
      auditRefusal: (entry) => p.alarms.audit(entry),
    },
    () => p.clock.now(),
    p.config().http.maxWsMessageBytes,
  );
  return { hub, nurses, consoleData };
}
