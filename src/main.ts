/**
 * Composition root: config → adapters → pipeline → ready (DESIGN §2). Everything with I/O is
 * built here and handed to the pure core through its ports.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { asyncScheduler, interval, map, merge, share, tap, type Subscription } from "rxjs";
import { driverModules } from "../devices/index.js";
import { bleIngest } from "./adapters/ble/startBle.js";
import { createMetrics, type Metrics, type RejectStage } from "./adapters/http/metrics.js";
import { startHttpServer } from "./adapters/http/server.js";
import { Sessions } from "./adapters/http/sessions.js";
import { uuidv7 } from "./adapters/ids.js";
import { jsonLogger } from "./adapters/log/jsonLogger.js";
import { startEmbeddedBroker, type BrokerCredentials, type EmbeddedBroker } from "./adapters/mqtt/embeddedBroker.js";
import { MqttSource } from "./adapters/mqtt/mqttSource.js";
import { AlertJournal } from "./adapters/sqlite/alertJournal.js";
import { upstreamLinkCondition } from "./adapters/upstream/linkCondition.js";
import { startUpstream, upstreamReadings } from "./adapters/upstream/upstream.js";
import { SqliteAlertOutbox } from "./adapters/sqlite/alertOutbox.js";
import { SqliteReadingStore } from "./adapters/sqlite/readingStore.js";
import { SightingStore } from "./adapters/sqlite/sightingStore.js";
import { pruneReadings } from "./adapters/sqlite/pruneReadings.js";
import { storeReadings } from "./adapters/sqlite/storeReadings.js";
import { TokenStore } from "./adapters/sqlite/tokenStore.js";
import { systemClock } from "./adapters/systemClock.js";
import { anomalyContextOf, anomalyStepMs, GATEWAY_ID, inHighAlarm, startAnomaly } from "./adapters/tfjs/startAnomaly.js";
import { alertMessage, countAlertEvent } from "./adapters/ws/alertMessages.js";
import { WsHub } from "./adapters/ws/hub.js";
import { nurseClientCondition, toAlertingInput } from "./adapters/ws/nurseActions.js";
import { readSecretFile } from "./config/secrets.js";
import type { GatewayConfig } from "./config/types.js";
import { createAlerting, type AlertingInput } from "./core/alerting/alerting.js";
import { alertingPerPatient } from "./core/alerting/alertingPerPatient.js";
import { diffAlertingConfig } from "./core/alerting/configDiff.js";
import type { AlertEvent } from "./core/alerting/events.js";
import type { AnomalyRunner } from "./core/anomaly/runner.js";
import { DriverRegistry } from "./core/decode/registry.js";
import type { Diagnostic } from "./core/errors.js";
import { attributeToPatient } from "./core/pipeline/attributeToPatient.js";
import { decodeFrames } from "./core/pipeline/decodeFrames.js";
import { dedupeFrames } from "./core/pipeline/dedupeFrames.js";
import { applyDeviceClock } from "./core/pipeline/applyDeviceClock.js";
import { recordSightings } from "./core/pipeline/recordSightings.js";
import type { Clock } from "./ports/clock.js";
import type { AlertSink } from "./ports/alertSink.js";
import type { Logger } from "./ports/logger.js";

export interface Gateway {
  readonly url: string;
  readonly mqttUrl: string;
  readonly metrics: Metrics;
  readonly tokens: TokenStore;
  /** Applies a validated config's patients and devices at once; alerting changes wait for a restart (and are audited then). */
  reload(config: GatewayConfig): void;
  stop(): Promise<void>;
}

/** Patient id for conditions of the gateway itself (no nurse client, model unavailable…). */
export const GATEWAY = GATEWAY_ID;

export interface GatewayOptions {
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export async function startGateway(initial: GatewayConfig, options: GatewayOptions = {}): Promise<Gateway> {
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? jsonLogger(initial.logging.level);
  let config = initial;
  let devices = new Map(config.devices.map((d) => [d.id, d.patient]));
  const metrics = createMetrics();
  const report = (stage: RejectStage) => (d: Diagnostic) => {
    metrics.rejected.inc({ code: d.code, stage });
    log.log("warn", d.message, { code: d.code, stage, where: d.where, hex: d.hex });
  };

  // What to undo, in reverse order, on stop() or when start fails half-way (a port in use…).
  const teardown: (() => unknown)[] = [];
  const undo = async () => {
    for (const step of teardown.splice(0).reverse()) await step();
  };
  try {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    const readings = new SqliteReadingStore(join(config.dataDir, "readings.db"));
    const outbox = new SqliteAlertOutbox(join(config.dataDir, "alarms.db"));
    const tokens = new TokenStore(join(config.dataDir, "auth.db"), () => clock.now());
    // `devices seen`: sensors heard but assigned to no patient (no readings, only the sighting).
    const sightings = new SightingStore(join(config.dataDir, "devices.db"), (e) => report("store")({ code: "store_failed", message: `devices.db: ${e.message}`, where: "devices.db" }));
    teardown.push(() => [readings, outbox, tokens, sightings].forEach((db) => db.close()));
    const sessions = new Sessions(tokens, config.auth.sessionIdleMinutes * 60_000, () => clock.now());

    let broker: EmbeddedBroker | undefined;
    const embedded = config.mqtt.url === undefined ? embeddedCredentials(config.mqtt) : undefined;
    if (config.mqtt.url === undefined) broker = await startEmbeddedBroker(config.mqtt.embeddedHost, config.mqtt.embeddedPort, embedded);
    const mqttUrl = config.mqtt.url ?? broker?.url ?? "";
    teardown.push(() => broker?.close());

    const alerting = createAlerting(config.alerting, { clock, newId: () => uuidv7(clock.now()) });
    const journal = new AlertJournal(outbox);
    // DESIGN §6. Throws UpstreamConfigError (exit 2) for an unreadable passwordFile; an unreachable broker is no error.
    const upstream = config.upstream === undefined ? undefined : startUpstream(config.upstream, config.dataDir, { clock, log });
    teardown.push(() => upstream?.stop()); // runs after the sources stopped: their last batch is enqueued
    if (upstream) metrics.observeUpstream(() => upstream.stats());
    // Persist (outbox + audit, one FULL-synced transaction), then push.
    let anomaly: AnomalyRunner | undefined;
    const deliver = (events: readonly AlertEvent[]): readonly AlertEvent[] => {
      const decorated = anomaly ? events.map((e) => ("alert" in e ? { ...e, alert: anomaly!.decorate(e.alert) } : e)) : events;
      const pushed = journal.record(decorated);
      for (const sink of sinks) sink.deliver(pushed); // the nurses first, then upstream; neither throws
      for (const e of events) countAlertEvent(e, metrics, log);
      return events;
    };
    /** A condition from outside the rules (technical, advisory): into the engine, then delivered. */
    const raise = (input: AlertingInput) => deliver(alerting.handle(input));
    const patientOf = (deviceId: string) => devices.get(deviceId);
    const sinks: AlertSink[] = [{ deliver: (pushed) => pushed.forEach((e) => hub.broadcast(alertMessage(e))) }];
    if (upstream) sinks.push({ deliver: (pushed) => upstream.enqueueAlertEvents(pushed) });
    const hub = new WsHub(
      sessions,
      metrics,
      {
        snapshot: () => ({
          type: "snapshot",
          patients: config.patients.map((p) => ({ id: p.id, label: p.label, latest: readings.latest(p.id) })),
          alerts: outbox.open(),
        }),
        onReceived: (alertId, at) => outbox.markDelivered(alertId, at),
        onAction: (action, who, client) => {
          const input = toAlertingInput(action, who, client, (id) => outbox.get(id)?.patientId, (id) => config.patients.some((p) => p.id === id));
          if ("refused" in input) return input.refused;
          const context = input.type === "clinical" ? anomalyContextOf(input.input) : [];
          if (input.type === "clinical" && context.length === 2) anomaly?.context(input.patientId, context[0], context[1]);
          const rejected = deliver(alerting.handle(input)).find((e) => e.type === "reject");
          return rejected?.type === "reject" ? `refused: ${rejected.reason.replace(/_/g, " ")}` : undefined;
        },
        // DESIGN §5: losing every nurse client is a technical alarm (shown to the next one to connect).
        onClientCount: (n) => raise(nurseClientCondition(GATEWAY, n)),
      },
      () => clock.now(),
      config.http.maxWsMessageBytes,
    );
    const configChanges = journal.auditConfig(config.alerting, clock.now());
    deliver(alerting.restore(outbox.open()));
    raise(nurseClientCondition(GATEWAY, 0));
    metrics.observeAlerting(() => alerting.stats());
    if (config.anomaly.enabled) anomaly = await startAnomaly(config, clock, log, raise, (id) => inHighAlarm(alerting.openAlerts(id)));

    const source = new MqttSource({ url: mqttUrl, topicPrefix: config.mqtt.topicPrefix, bridges: config.mqtt.bridges, ...(embedded ?? optional(config.mqtt)) }, clock);
    const registry = new DriverRegistry(Object.values(driverModules).map((m) => m.driver));
    const subscriptions: Subscription[] = [];
    const ble = bleIngest(config.ble, clock, log, report("ble"), raise, patientOf, GATEWAY);
    const readings$ = merge(source.frames$, ble.frames$).pipe(
      tap((f) => metrics.framesReceived.inc({ source: f.source })),
      decodeFrames(registry, report("decode")),
      recordSightings(patientOf, sightings),
      applyDeviceClock(), // stored records (glucose, spot-check) keep the time they were taken
      dedupeFrames(), // one advert heard by two bridges, or a bridge and the hub's radio, counts once
      attributeToPatient(patientOf, report("attribute")),
      share(),
    );
    subscriptions.push(
      source.diagnostics$.subscribe(report("mqtt")),
      // The alert path first: readings reach the rules before (and regardless of) the store.
      readings$
        .pipe(
          map((reading): AlertingInput => ({ type: "reading", reading })),
          alertingPerPatient(alerting, { scheduler: asyncScheduler, tickMs: 1000 }),
        )
        .subscribe((e) => deliver([e])),
      readings$.subscribe((reading) => hub.broadcast({ type: "reading", reading })),
      readings$.subscribe((reading) => anomaly?.observe(reading)),
      interval(anomalyStepMs(config, anomaly), asyncScheduler).subscribe(() => anomaly?.step()),
      storeReadings(readings$, readings, config.storage, asyncScheduler, metrics, report("store")),
      pruneReadings(readings, config.storage.retentionDays, { clock, scheduler: asyncScheduler, log, report: report("store") }),
    );
    if (upstream) {
      subscriptions.push(
        upstreamReadings(readings$, upstream, config.storage, asyncScheduler),
        // DESIGN §5: loss of the upstream link is a technical alarm.
        upstream.link$
          .pipe(upstreamLinkCondition((config.upstream?.linkGraceSeconds ?? 60) * 1000, asyncScheduler))
          .subscribe((condition) => raise({ type: "technical", patientId: GATEWAY, condition })),
      );
    }
    teardown.push(() => subscriptions.forEach((s) => s.unsubscribe()));
    await source.start();
    teardown.push(async () => {
      await source.stop();
      await ble.stop(); // both sources complete: the last batch of readings is written
    });
    await ble.start(); // never throws: without BlueZ, a technical alarm and MQTT carries on
    teardown.push(() => hub.close()); // if the HTTP server cannot start; closing twice is harmless

    const http = await startHttpServer(config.http.host, config.http.port, {
      metrics,
      sessions,
      tokens,
      hub,
      readiness: () => {
        // DESIGN §4: ready = DB, broker and pipeline up. BLE is reported, not required: a lost
        // Bluetooth adapter is a technical alarm, and MQTT sensors keep flowing.
        const checks = { database: readings.healthy() && outbox.healthy(), broker: source.connected, ble: ble.connected(), pipeline: subscriptions.every((s) => !s.closed) };
        return { ready: checks.database && checks.broker && checks.pipeline, checks };
      },
    });
    teardown.push(async () => {
      const closed = new Promise<void>((resolve) => http.server.close(() => resolve()));
      http.server.closeAllConnections(); // keep-alive sockets would hold close() open
      await closed;
    });
    // Runs before the server close above: that waits for the upgraded WebSocket sockets, which
    // closeAllConnections() does not track and only the hub closes (with 1001 to each console).
    teardown.push(() => hub.close());
    const pending = outbox.pending().length;
    log.log("info", "gateway ready", { console: http.url, mqtt: mqttUrl, pendingAlerts: pending, alertingConfigChanges: configChanges, drivers: registry.drivers.length });

    return {
      url: http.url,
      mqttUrl,
      metrics,
      tokens,
      reload(next) {
        // Alerting changes need a restart: the engine's timers and latches must not be reset silently.
        config = { ...config, patients: next.patients, devices: next.devices };
        devices = new Map(config.devices.map((d) => [d.id, d.patient]));
        metrics.configReloads.inc({ result: "applied" });
        const changes = diffAlertingConfig(config.alerting, next.alerting, clock.now(), { user: "config-file", role: "admin", client: "SIGHUP" });
        if (changes.length > 0) log.log("warn", "alerting config changed on disk: takes effect at the next restart", { changes: changes.length });
        log.log("info", "config reloaded", { patients: config.patients.length, devices: config.devices.length });
      },
      stop: undo,
    };
  } catch (e) {
    await undo();
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
