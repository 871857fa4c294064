/**
 * Composition root: config → adapters → pipeline → ready (DESIGN §2). Everything with I/O is
 * built here and handed to the pure core through its ports; the parts are assembled in
 * src/compose/. Read top to bottom: nothing is used before it is declared.
 */
import { join } from "node:path";
import { asyncScheduler, EMPTY, interval } from "rxjs";
import { bleIngest } from "./adapters/ble/startBle.js";
import { createMetrics, type Metrics } from "./adapters/http/metrics.js";
import type { Readiness } from "./adapters/http/server.js";
import { Sessions } from "./adapters/http/sessions.js";
import { uuidv7 } from "./adapters/ids.js";
import { jsonLogger } from "./adapters/log/jsonLogger.js";
import { startEmbeddedBroker, type BrokerCredentials } from "./adapters/mqtt/embeddedBroker.js";
import { ingestLink } from "./adapters/mqtt/ingestLink.js";
import { MqttSource } from "./adapters/mqtt/mqttSource.js";
import { AlarmStore } from "./adapters/sqlite/alarmStore.js";
import { alarmRecordsCondition } from "./adapters/sqlite/alertOutbox.js";
import { lockDataDir } from "./adapters/sqlite/dataDirLock.js";
import { auditConfigInForce } from "./adapters/sqlite/configInForce.js";
import { pruneReadings } from "./adapters/sqlite/pruneReadings.js";
import { SqliteReadingStore } from "./adapters/sqlite/readingStore.js";
import { SightingStore } from "./adapters/sqlite/sightingStore.js";
import { storeReadings } from "./adapters/sqlite/storeReadings.js";
import { TokenStore } from "./adapters/sqlite/tokenStore.js";
import { systemClock } from "./adapters/systemClock.js";
import { anomalyStepMs, inHighAlarm, startAnomaly } from "./adapters/tfjs/startAnomaly.js";
import { startUpstream, upstreamReadings } from "./adapters/upstream/upstream.js";
import { alertMessage } from "./adapters/ws/alertMessages.js";
import { readSecretFile } from "./config/secrets.js";
import type { GatewayConfig } from "./config/types.js";
import { alertDelivery, runAlertPath, submitter } from "./compose/alertPath.js";
import { consoleHub } from "./compose/console.js";
import { readinessOf, serveHttp } from "./compose/http.js";
import { readingsFrom, registry, reporter } from "./compose/ingest.js";
import { linkInputs } from "./compose/links.js";
import { LiveConfig } from "./compose/liveConfig.js";
import { Teardown } from "./compose/teardown.js";
import { createAlerting } from "./core/alerting/alerting.js";
import type { AlertingSubmission } from "./core/alerting/alertingPerPatient.js";
import { GATEWAY_ID } from "./core/gateway.js";
import { Inbox } from "./core/pipeline/inbox.js";
import type { AlertSink } from "./ports/alertSink.js";
import type { Clock } from "./ports/clock.js";
import type { Logger } from "./ports/logger.js";

export interface Gateway {
  readonly url: string;
  readonly mqttUrl: string;
  readonly metrics: Metrics;
  readonly tokens: TokenStore;
  /** What /readyz answers; the systemd watchdog feeds on it too. */
  readiness(): Readiness;
  /** Applies a validated config's patients and devices at once; alerting changes wait for a restart (and are audited then). */
  reload(config: GatewayConfig): void;
  stop(): Promise<void>;
}

/** Patient id for conditions of the gateway itself (no nurse client, storage full, broker lost…). */
export const GATEWAY = GATEWAY_ID;

export interface GatewayOptions {
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export async function startGateway(initial: GatewayConfig, options: GatewayOptions = {}): Promise<Gateway> {
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? jsonLogger(initial.logging.level);
  const config = initial; // as started; patients and devices follow SIGHUP through `live`
  const live = new LiveConfig(initial);
  const metrics = createMetrics();
  const report = reporter(metrics, log);
  const teardown = new Teardown();
  try {
    const dataDirLock = lockDataDir(config.dataDir); // 0700, one daemon per folder (StorageError otherwise)
    teardown.add(() => dataDirLock.release());
    const readings = new SqliteReadingStore(join(config.dataDir, "readings.db"));
    const tokens = new TokenStore(join(config.dataDir, "auth.db"), () => clock.now());
    const sightings = new SightingStore(join(config.dataDir, "devices.db"), (e) => report("store")({ code: "store_failed", message: `devices.db: ${e.message}`, where: "devices.db" }));
    teardown.add(() => [readings, tokens, sightings].forEach((db) => db.close()));
    const sessions = new Sessions(tokens, config.auth.sessionIdleMinutes * 60_000, () => clock.now());
    const embedded = config.mqtt.url === undefined ? embeddedCredentials(config.mqtt) : undefined;
    const broker = config.mqtt.url === undefined ? await startEmbeddedBroker(config.mqtt.embeddedHost, config.mqtt.embeddedPort, embedded) : undefined;
    teardown.add(() => broker?.close());
    const mqttUrl = config.mqtt.url ?? broker?.url ?? "";
    // DESIGN §6. Throws UpstreamConfigError (exit 2) for an unreadable passwordFile; an unreachable broker is no error.
    const upstream = config.upstream === undefined ? undefined : startUpstream(config.upstream, config.dataDir, { clock, log });
    teardown.add(() => upstream?.stop()); // runs after the sources stopped: their last batch is enqueued
    if (upstream) metrics.observeUpstream(() => upstream.stats());

    const engine = createAlerting(config.alerting, { clock, newId: () => uuidv7(clock.now()) });
    const inbox = new Inbox<AlertingSubmission>();
    const anomaly = config.anomaly.enabled ? await startAnomaly(config, clock, log, (input) => inbox.next({ input }), (id) => inHighAlarm(engine.openAlerts(id))) : undefined;
    const alarms = new AlarmStore(join(config.dataDir, "alarms.db"), (outbox, audit) => {
      const changes = auditConfigInForce(outbox.database, audit, config.alerting, clock.now());
      // Restore only what agrees with the audit chain; an altered alerts table is a technical alarm.
      const restored = outbox.restorable();
      log.log("info", "alarms.db open", { pendingAlerts: outbox.pending().length, alertingConfigChanges: changes, alteredRecords: restored.problems.length });
      inbox.next({ input: { type: "restore", alerts: restored.alerts } });
      if (restored.problems.length > 0) inbox.next({ input: alarmRecordsCondition(GATEWAY_ID, restored.problems) });
    });
    teardown.add(() => alarms.close());
    const { hub, nurses, consoleData } = consoleHub({ sessions, metrics, clock, config: () => live.config, readings, alarms, openAlerts: () => engine.openAlerts(), alerting: engine, submit: submitter(inbox), anomaly });
    teardown.add(() => consoleData.close());
    teardown.add(() => hub.close()); // if the HTTP server cannot start; closing twice is harmless
    const sinks: AlertSink[] = [{ deliver: (pushed) => pushed.forEach((e) => hub.broadcast(alertMessage(e))) }];
    if (upstream) sinks.push({ deliver: (pushed) => upstream.enqueueAlertEvents(pushed) });
    const delivery = alertDelivery(alarms, sinks, metrics, log);
    teardown.add(() => delivery.stop());

    const source = new MqttSource({ url: mqttUrl, ...ingestLink(config), ...(embedded ?? optional(config.mqtt)) }, clock);
    metrics.observeMqttAcks(() => ({ ...source.acks.stats, unacknowledged: source.acks.unacknowledged }));
    const ble = bleIngest(config.ble, clock, log, report("ble"));
    const readings$ = readingsFrom([source.frames$, ble.frames$], live.patientOf, sightings, metrics, report);
    const links = { broker: source.link$, bluez: ble.link$, bleSensors: ble.status$, upstream: upstream?.link$ ?? EMPTY, nurses, storage: delivery.storage$ };
    const graces = { localMs: config.alerting.persistence.technicalRaiseMs, upstreamMs: (config.upstream?.linkGraceSeconds ?? 60) * 1000 };
    const subscriptions = [
      source.diagnostics$.subscribe(report("mqtt")),
      // The alert path first: readings reach the rules before (and regardless of) the store.
      runAlertPath({ engine, inbox, readings$, links$: linkInputs(links, graces, live.patientOf, asyncScheduler), delivery, decorate: (a) => anomaly?.decorate(a) ?? a, scheduler: asyncScheduler, metrics, log }),
      readings$.subscribe((reading) => hub.broadcast({ type: "reading", reading })),
      consoleData.watch(readings$, asyncScheduler),
      readings$.subscribe((reading) => anomaly?.observe(reading)),
      interval(anomalyStepMs(config, anomaly), asyncScheduler).subscribe(() => anomaly?.step()),
      storeReadings(readings$, readings, config.storage, asyncScheduler, metrics, report("store"), source.acks),
      pruneReadings(readings, config.storage.retentionDays, { clock, scheduler: asyncScheduler, log, report: report("store") }),
      ...(upstream ? [upstreamReadings(readings$, upstream, config.storage, asyncScheduler)] : []),
    ];
    teardown.add(() => subscriptions.forEach((s) => s.unsubscribe()));
    alarms.openAtStart(); // a corrupt alarms.db stops here; a full disk does not
    delivery.check(); // opens alarms.db (restoring its open alerts); if it cannot, the storage alarm, and retries
    await source.start();
    teardown.add(async () => {
      await ble.stop();
      await source.stop(); // both sources complete: the last batch is written, then acknowledged to the broker
    });
    await ble.start(); // never throws: without BlueZ, a technical alarm and MQTT carries on
    const checks = () => ({ database: readings.healthy() && alarms.healthy(), broker: source.connected, ble: ble.connected(), pipeline: subscriptions.every((s) => !s.closed) });
    const readiness = readinessOf(checks);
    const url = await serveHttp(config.http, { metrics, sessions, tokens, hub, allowedHosts: config.http.allowedHosts, log, now: () => clock.now(), history: consoleData.history, readiness }, hub, teardown);
    log.log("info", "gateway ready", { console: url, mqtt: mqttUrl, alarmsDb: alarms.healthy(), pendingAlerts: alarms.pending(), drivers: registry.drivers.length });

    return {
      url,
      mqttUrl,
      metrics,
      tokens,
      readiness,
      reload: (next) => live.reload(next, { metrics, log, clock }),
      stop: () => teardown.run(),
    };
  } catch (e) {
    await teardown.run();
    throw e;
  }
}

function optional(m: GatewayConfig["mqtt"]): { username?: string; passwordFile?: string } {
  return { ...(m.username === undefined ? {} : { username: m.username }), ...(m.passwordFile === undefined ? {} : { passwordFile: m.passwordFile }) };
}

/** The embedded broker's login, when the config asks for one; the gateway's own client uses it too. */
function embeddedCredentials(m: GatewayConfig["mqtt"]): BrokerCredentials | undefined {
  if (m.embeddedUsername === undefined || m.embeddedPasswordFile === undefined) return undefined;
  return { username: m.embeddedUsername, password: readSecretFile(m.embeddedPasswordFile, "mqtt.embeddedPasswordFile") };
}
