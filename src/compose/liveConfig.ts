/**
 * The config in force: patients and devices change on SIGHUP at once; alerting changes wait for
 * a restart (the engine's timers and latches must not be reset silently) and are audited then.
 */
import type { Metrics } from "../adapters/http/metrics.js";
import type { GatewayConfig } from "../config/types.js";
import { diffAlertingConfig } from "../core/alerting/configDiff.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";

export class LiveConfig {
  private devices: ReadonlyMap<string, string>;

  constructor(private current: GatewayConfig) {
    this.devices = new Map(current.devices.map((d) => [d.id, d.patient]));
  }

  get config(): GatewayConfig {
    return this.current;
  }

  /** The patient a device is assigned to now. */
  readonly patientOf = (deviceId: string): string | undefined => this.devices.get(deviceId);

  reload(next: GatewayConfig, deps: { readonly metrics: Metrics; readonly log: Logger; readonly clock: Clock }): void {
    this.current = { ...this.current, patients: next.patients, devices: next.devices };
    this.devices = new Map(this.current.devices.map((d) => [d.id, d.patient]));
    deps.metrics.configReloads.inc({ result: "applied" });
    const changes = diffAlertingConfig(this.current.alerting, next.alerting, deps.clock.now(), { user: "config-file", role: "admin", client: "SIGHUP" });
    if (changes.length > 0) deps.log.log("warn", "alerting config changed on disk: takes effect at the next restart", { changes: changes.length });
    deps.log.log("info", "config reloaded", { patients: this.current.patients.length, devices: this.current.devices.length });
  }
}
