/**
 * The data dir and its databases, opened so that a full disk degrades the gateway instead of
 * stopping it (issue 9; src/adapters/sqlite/README.md "When the disk is full"): the emergency
 * reserve is checked before anything else is opened (it is released on a full disk, so the lock
 * and the opens have room), every file is closed again if a later one fails, and readings.db is
 * paused while the reserve is spent. alarms.db opens lazily on the alert path (alarmStore.ts).
 */
import { join } from "node:path";
import { interval, type SchedulerLike } from "rxjs";
import { AlarmStore } from "../adapters/sqlite/alarmStore.js";
import { alarmRecordsCondition } from "../adapters/sqlite/alertOutbox.js";
import { auditConfigInForce } from "../adapters/sqlite/configInForce.js";
import { lockDataDir, makePrivateDir } from "../adapters/sqlite/dataDirLock.js";
import { SqliteReadingStore } from "../adapters/sqlite/readingStore.js";
import { readingsWhileFull } from "../adapters/sqlite/readingsWhileFull.js";
import { SightingStore } from "../adapters/sqlite/sightingStore.js";
import { SpaceReserve } from "../adapters/sqlite/spaceReserve.js";
import { TokenStore } from "../adapters/sqlite/tokenStore.js";
import type { GatewayConfig } from "../config/types.js";
import type { AlertingSubmission } from "../core/alerting/alertingPerPatient.js";
import { GATEWAY_ID } from "../core/gateway.js";
import type { Diagnostic } from "../core/errors.js";
import type { Inbox } from "../core/pipeline/inbox.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { ReadingStore } from "../ports/readingStore.js";
import type { Teardown } from "./teardown.js";

export interface Stores {
  readonly reserve: SpaceReserve;
  /** readings.db, paused while the disk is full. */
  readonly readings: ReadingStore;
  readonly tokens: TokenStore;
  readonly sightings: SightingStore;
}

/** How often a spent reserve is written back (and a filling disk noticed): well inside issue 9's 10 s. */
const RESERVE_CHECK_MS = 1000;

export function openStores(config: GatewayConfig, clock: Clock, report: (d: Diagnostic) => void, teardown: Teardown, scheduler: SchedulerLike): Stores {
  makePrivateDir(config.dataDir);
  const reserve = new SpaceReserve(config.dataDir);
  reserve.check(); // before the lock: on a full disk even the lock file needs the room it frees
  const watch = interval(RESERVE_CHECK_MS, scheduler).subscribe(() => reserve.check());
  teardown.add(() => watch.unsubscribe());
  const lock = lockDataDir(config.dataDir); // 0700, one daemon per folder (StorageError otherwise)
  teardown.add(() => lock.release());
  // Each file joins the teardown as soon as it is open: a later failure closes it (no "target busy").
  const raw = new SqliteReadingStore(join(config.dataDir, "readings.db"));
  teardown.add(() => raw.close());
  const tokens = new TokenStore(join(config.dataDir, "auth.db"), () => clock.now());
  teardown.add(() => tokens.close());
  const sightings = new SightingStore(join(config.dataDir, "devices.db"), (e) => report({ code: "store_failed", message: `devices.db: ${e.message}`, where: "devices.db" }));
  teardown.add(() => sightings.close());
  return { reserve, readings: readingsWhileFull(raw, () => reserve.full), tokens, sightings };
}

/** alarms.db, opened when it can be; at its first open it restores the open alerts that agree with the audit chain. */
/** `restored`: the ids of the alerts open in alarms.db (upstream stops re-announcing an earlier run's others). */
export function alarmStoreFor(config: GatewayConfig, inbox: Inbox<AlertingSubmission>, clock: Clock, log: Logger, onRestored?: (openIds: readonly string[]) => void): AlarmStore {
  return new AlarmStore(join(config.dataDir, "alarms.db"), (outbox, audit) => {
    const changes = auditConfigInForce(outbox.database, audit, config.alerting, clock.now());
    // Restore only what agrees with the audit chain; an altered alerts table is a technical alarm.
    const restored = outbox.restorable();
    log.log("info", "alarms.db open", { pendingAlerts: outbox.pending().length, alertingConfigChanges: changes, alteredRecords: restored.problems.length });
    inbox.next({ input: { type: "restore", alerts: restored.alerts } });
    onRestored?.(restored.alerts.map((a) => a.id));
    if (restored.problems.length > 0) inbox.next({ input: alarmRecordsCondition(GATEWAY_ID, restored.problems) });
  });
}
