/**
 * What the nurse consoles get beyond raw readings and alerts (issue 10), in one place so the
 * composition root wires it with a few lines: NEWS2 per parameter and the nurse's entries in the
 * snapshot and as `clinical` messages when they change, who acknowledged each open alert, and the
 * history API's read side (its own read-only connection to readings.db).
 */
import { join } from "node:path";
import { interval, merge, type Observable, type SchedulerLike, type Subscription } from "rxjs";
import type { Alerting } from "../../core/alerting/alerting.js";
import type { Alert, Reading } from "../../core/model.js";
import type { Clock } from "../../ports/clock.js";
import { AlarmHistory } from "../sqlite/alarmHistory.js";
import { ReadingHistory } from "../sqlite/readingHistory.js";
import { clinicalFeed } from "../ws/clinicalFeed.js";
import type { ServerMessage } from "../ws/messages.js";
import type { HistoryDeps } from "./historyApi.js";
import type { Metrics } from "./metrics.js";
import type { Sessions } from "./sessions.js";

export interface ConsoleDataDeps {
  readonly dataDir: string;
  readonly patients: () => readonly { readonly id: string; readonly label: string }[];
  readonly latest: (patientId: string) => readonly Reading[];
  readonly alerting: Pick<Alerting, "clinical">;
  /** From the engine's memory: a failing disk hides nothing. */
  readonly openAlerts: () => readonly Alert[];
  readonly sessions: Pick<Sessions, "principalOf">;
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly broadcast: (m: ServerMessage) => void;
}

/** How often every patient's NEWS2 is re-checked without a reading: staleness and nurse entries change it. */
export const CLINICAL_CHECK_MS = 1000;

export interface ConsoleData {
  /** The snapshot a console gets first: patients with NEWS2 and entries, open alerts with who acknowledged them. */
  snapshot(open: readonly Alert[]): Extract<ServerMessage, { type: "snapshot" }>;
  /** Sends `clinical` messages when a patient's NEWS2 or entries change (after readings, and every second). */
  watch(readings$: Observable<Reading>, scheduler: SchedulerLike): Subscription;
  readonly history: HistoryDeps;
  close(): void;
}

export function startConsoleData(d: ConsoleDataDeps): ConsoleData {
  const readings = new ReadingHistory(join(d.dataDir, "readings.db"));
  const alarms = new AlarmHistory(join(d.dataDir, "alarms.db"));
  const acks = (open: readonly Alert[]) => {
    try {
      return alarms.acks(open.map((a) => a.id));
    } catch {
      return {}; // alarms.db not readable yet (a degraded start): the alerts themselves still go out
    }
  };
  const feed = clinicalFeed((id) => d.alerting.clinical(id), d.broadcast);
  return {
    snapshot: (open) => ({
      type: "snapshot",
      patients: d.patients().map((p) => ({ id: p.id, label: p.label, latest: d.latest(p.id), clinical: d.alerting.clinical(p.id) })),
      alerts: open,
      acks: acks(open),
    }),
    watch: (readings$, scheduler) =>
      merge(readings$, interval(CLINICAL_CHECK_MS, scheduler)).subscribe((r) => (typeof r === "number" ? d.patients().forEach((p) => feed.check(p.id)) : feed.check(r.patientId))),
    history: {
      patients: d.patients,
      latest: d.latest,
      clinical: (id) => d.alerting.clinical(id),
      openAlerts: () => [...d.openAlerts()],
      readings,
      alarms,
      principalOf: (req) => d.sessions.principalOf(req),
      now: () => d.clock.now(),
      refused: (code) => d.metrics.rejected.inc({ code, stage: "http" }),
    },
    close: () => {
      readings.close();
      alarms.close();
    },
  };
}
