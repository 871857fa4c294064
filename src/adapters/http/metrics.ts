/**
 * Prometheus metrics, one registry per gateway instance (tests run several). Labels carry codes
 * and stages, never device or patient identifiers (DESIGN §4).
 */
import type { AlertingStats } from "../../core/alerting/patientAlerting.js";
import type { UpstreamStats } from "../upstream/upstream.js";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export const REJECT_STAGES = ["mqtt", "ble", "decode", "attribute", "ws", "http", "config", "store"] as const;
export type RejectStage = (typeof REJECT_STAGES)[number];

export function createMetrics() {
  const registry = new Registry();
  // The standard names (process_resident_memory_bytes, nodejs_heap_size_used_bytes,
  // nodejs_eventloop_lag_seconds, nodejs_gc_duration_seconds) so stock Node.js dashboards and
  // alert rules work unchanged: memory growth and a blocked loop on a months-long run show here first.
  collectDefaultMetrics({ register: registry });
  const m = {
    registry,
    framesReceived: new Counter({ name: "vg_frames_received_total", help: "Frames handed on by sensor adapters", labelNames: ["source"], registers: [registry] }),
    readingsStored: new Counter({ name: "vg_readings_stored_total", help: "Readings committed to readings.db", registers: [registry] }),
    readingsDuplicate: new Counter({ name: "vg_readings_duplicate_total", help: "Readings not stored again: same device, vital and device time already in readings.db (a redelivery or replay)", registers: [registry] }),
    rejected: new Counter({ name: "vg_rejected_total", help: "Inputs refused (bad frame, unknown device, bad WS message, invalid config), by error code and stage", labelNames: ["code", "stage"], registers: [registry] }),
    alertsRaised: new Counter({ name: "vg_alerts_raised_total", help: "Alerts raised", labelNames: ["kind", "priority"], registers: [registry] }),
    alertsEscalated: new Counter({ name: "vg_alerts_escalated_total", help: "Unacknowledged high alarms escalated (T1, T2)", labelNames: ["level"], registers: [registry] }),
    alertsSuppressed: new Counter({ name: "vg_alerts_suppressed_total", help: "Alarms not raised, by reason (each is audited)", labelNames: ["reason"], registers: [registry] }),
    alertsDelivered: new Counter({ name: "vg_alerts_delivered_total", help: "Alert messages written to a nurse client", registers: [registry] }),
    wsClients: new Gauge({ name: "vg_ws_clients", help: "Authenticated console connections", registers: [registry] }),
    wsUpgradesRefused: new Counter({ name: "vg_ws_upgrades_refused_total", help: "WebSocket upgrades refused", labelNames: ["reason"], registers: [registry] }),
    wsSignedOut: new Counter({ name: "vg_ws_signed_out_total", help: "Open consoles closed because their session expired or their token was revoked or signed out", labelNames: ["reason"], registers: [registry] }),
    loginFailures: new Counter({ name: "vg_login_failures_total", help: "Refused logins (unknown, revoked or used token or code; throttled)", labelNames: ["reason"], registers: [registry] }),
    httpRefused: new Counter({ name: "vg_http_refused_total", help: "HTTP requests refused before routing (bad request target, Host not allowed)", labelNames: ["reason"], registers: [registry] }),
    configReloads: new Counter({ name: "vg_config_reloads_total", help: "SIGHUP config reloads", labelNames: ["result"], registers: [registry] }),
    alertWriteFailures: new Counter({ name: "vg_alert_write_failures_total", help: "Failed writes of alert events to alarms.db (the events are kept in memory and retried), by error code", labelNames: ["code"], registers: [registry] }),
    storeBatchSeconds: new Histogram({ name: "vg_store_batch_seconds", help: "Time to commit one batch of readings", buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5], registers: [registry] }),
  };
  return {
    ...m,
    /** Reading outcomes of the quality gates, summed over patients at scrape time. */
    observeAlerting(stats: () => ReadonlyMap<string, AlertingStats>): void {
      new Gauge({
        name: "vg_alerting_readings",
        help: "Readings seen by the rules, by outcome (valid, artifact, dropped, ignored) and reason",
        labelNames: ["outcome", "reason"],
        registers: [registry],
        collect() {
          this.reset();
          for (const s of stats().values()) {
            this.inc({ outcome: "valid", reason: "" }, s.valid);
            this.inc({ outcome: "ignored", reason: "" }, s.ignored);
            for (const [reason, n] of Object.entries(s.artifacts)) this.inc({ outcome: "artifact", reason }, n ?? 0);
            for (const [reason, n] of Object.entries(s.dropped)) this.inc({ outcome: "dropped", reason }, n ?? 0);
          }
        },
      });
    },
    /** Alert events shown to the nurses but not yet written to alarms.db (0 unless the disk is failing). */
    observeAlertBacklog(backlog: () => number): void {
      new Gauge({ name: "vg_alert_backlog", help: "Alert events kept in memory because alarms.db could not be written", registers: [registry], collect() { this.set(backlog()); } });
    },
    /** The upstream outbox and link (DESIGN §6), read at scrape time: what is queued, dropped, failed. */
    observeUpstream(stats: () => UpstreamStats): void {
      new Gauge({
        name: "vg_upstream",
        help: "Upstream outbox and link: queued alerts/readings/bytes, readings dropped by the bound, enqueue and publish errors, messages, rows acknowledged, link up (1/0)",
        labelNames: ["stat"],
        registers: [registry],
        collect() {
          const s = stats();
          const values: Record<string, number> = {
            queued_alerts: s.alerts,
            queued_readings: s.readings,
            queued_bytes: s.bytes,
            dropped_readings: s.droppedReadings,
            enqueue_errors: s.enqueueErrors,
            alerts_waiting: s.alertsWaiting ?? 0, // refused by a full upstream.db, retried every second
            publish_errors: s.publishErrors,
            messages: s.messages,
            rows_acked: s.rowsAcked,
            link_up: s.link === "up" ? 1 : 0,
          };
          for (const [stat, value] of Object.entries(values)) this.set({ stat }, value);
        },
      });
    },
    /** MQTT ingest acknowledgements (PUBACK after commit): how many, in how many socket writes, and pending. */
    observeMqttAcks(stats: () => { readonly acks: number; readonly writes: number; readonly redeliveriesSkipped: number; readonly unacknowledged: number }): void {
      new Gauge({
        name: "vg_mqtt_ingest",
        help: "MQTT ingest: PUBACKs sent after commit, socket writes they took, redeliveries not processed twice, messages awaiting their commit",
        labelNames: ["stat"],
        registers: [registry],
        collect() {
          const s = stats();
          const values = { pubacks: s.acks, puback_writes: s.writes, redeliveries_skipped: s.redeliveriesSkipped, unacknowledged: s.unacknowledged };
          for (const [stat, value] of Object.entries(values)) this.set({ stat }, value);
        },
      });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
