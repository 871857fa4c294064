/**
 * The BLE source as the gateway runs it: optional, and never a reason for the gateway not to
 * start. BlueZ unreachable (link$ down) and each sensor's lost link (status$) become technical
 * alarms through the gateway's one link operator (core/pipeline/linkCondition.ts); MQTT ingest
 * carries on, and the source reconnects by itself (D-Bus or bluetoothd restarts included).
 */
import { EMPTY, type Observable, type Subscription } from "rxjs";
import type { Diagnostic } from "../../core/errors.js";
import type { LinkState } from "../../core/link.js";
import type { RawFrame } from "../../core/model.js";
import type { GatewayConfig } from "../../config/types.js";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import { BleSource } from "./bleSource.js";
import type { DeviceStatus } from "./status.js";

export interface BleIngest {
  readonly frames$: Observable<RawFrame>;
  /** BlueZ over D-Bus. */
  readonly link$: Observable<LinkState>;
  /** Every sensor's link state. */
  readonly status$: Observable<DeviceStatus>;
  readonly connected: () => boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function bleIngest(config: GatewayConfig["ble"], clock: Clock, log: Logger, report: (d: Diagnostic) => void): BleIngest {
  if (!config.enabled) return { frames$: EMPTY, link$: EMPTY, status$: EMPTY, connected: () => true, start: () => Promise.resolve(), stop: () => Promise.resolve() };
  const source = new BleSource(
    {
      devices: config.devices,
      reconnect: config.reconnect,
      ...(config.adapter === undefined ? {} : { adapter: config.adapter }),
      ...(config.busAddress === undefined ? {} : { busAddress: config.busAddress }),
    },
    clock,
  );
  const subscriptions: Subscription[] = [source.diagnostics$.subscribe(report)];
  return {
    frames$: source.frames$,
    link$: source.link$,
    status$: source.status$,
    connected: () => source.connected,
    async start() {
      try {
        await source.start();
      } catch (e) {
        // The source keeps trying in the background; its link$ raises the alarm.
        log.log("error", "BLE unavailable; MQTT ingest continues", { code: "device_link", error: (e as Error).message });
      }
    },
    async stop() {
      await source.stop();
      for (const s of subscriptions) s.unsubscribe();
    },
  };
}
