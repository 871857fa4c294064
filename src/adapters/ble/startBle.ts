/**
 * The BLE source as the gateway runs it: optional, and never a reason for the gateway not to
 * start. BlueZ unreachable or its D-Bus connection lost → a technical alarm, MQTT ingest carries
 * on and the source reconnects by itself; each sensor's lost link → a technical alarm on its
 * patient (DESIGN §5).
 */
import { EMPTY, type Observable, type Subscription } from "rxjs";
import type { AlertingInput } from "../../core/alerting/alerting.js";
import type { Diagnostic } from "../../core/errors.js";
import type { RawFrame } from "../../core/model.js";
import type { GatewayConfig } from "../../config/types.js";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import { BleSource, type BleService } from "./bleSource.js";
import { linkConditions } from "./linkConditions.js";

export interface BleIngest {
  readonly frames$: Observable<RawFrame>;
  readonly connected: () => boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function bleIngest(
  config: GatewayConfig["ble"],
  clock: Clock,
  log: Logger,
  report: (d: Diagnostic) => void,
  raise: (input: AlertingInput) => void,
  patientOf: (deviceId: string) => string | undefined,
  gatewayId: string,
): BleIngest {
  if (!config.enabled) return { frames$: EMPTY, connected: () => true, start: () => Promise.resolve(), stop: () => Promise.resolve() };
  const source = new BleSource(
    {
      devices: config.devices,
      reconnect: config.reconnect,
      ...(config.adapter === undefined ? {} : { adapter: config.adapter }),
      ...(config.busAddress === undefined ? {} : { busAddress: config.busAddress }),
    },
    clock,
  );
  const subscriptions: Subscription[] = [
    source.diagnostics$.subscribe(report),
    source.status$.pipe(linkConditions()).subscribe(({ deviceId, condition }) => raise({ type: "technical", patientId: patientOf(deviceId) ?? gatewayId, condition })),
    source.service$.subscribe((s) => raise({ type: "technical", patientId: gatewayId, condition: serviceCondition(s) })),
  ];
  return {
    frames$: source.frames$,
    connected: () => source.connected,
    async start() {
      try {
        await source.start();
      } catch (e) {
        // the source keeps trying in the background; service$ has raised the alarm
        log.log("error", "BLE unavailable; MQTT ingest continues", { code: "device_link", error: (e as Error).message });
      }
    },
    async stop() {
      await source.stop();
      for (const s of subscriptions) s.unsubscribe();
    },
  };
}

/** One gateway condition for "BLE is not being read", whether BlueZ never answered or the bus went away; cleared when it is back. */
function serviceCondition(s: BleService): { name: string; present: boolean; message: string } {
  if (s.up) return { name: "ble_unavailable", present: false, message: "Bluetooth service reachable: BLE sensors are being read" };
  const message = s.lost ? "Bluetooth service lost: BLE sensors are not being read" : "Bluetooth unavailable: BLE sensors are not being read";
  return { name: "ble_unavailable", present: true, message };
}
