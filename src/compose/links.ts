/**
 * Every link the gateway depends on, through the one link operator (core/pipeline/linkCondition.ts),
 * as inputs of the alert path (DESIGN §5: each loss is a technical alarm, on the gateway or, for a
 * sensor, on its patient). One grace per link; the alarm texts say what the nurse has lost.
 */
import { filter, groupBy, map, merge, mergeMap, type Observable, type SchedulerLike } from "rxjs";
import { isLost, type DeviceStatus } from "../adapters/ble/status.js";
import type { UpstreamLinkStatus } from "../adapters/upstream/publisher.js";
import type { AlertingSubmission } from "../core/alerting/alertingPerPatient.js";
import { GATEWAY_ID } from "../core/gateway.js";
import type { LinkState } from "../core/link.js";
import { conditionNameFor } from "../core/pipeline/conditionName.js";
import { linkCondition, type LinkConditionSpec } from "../core/pipeline/linkCondition.js";

export interface GatewayLinks {
  /** The sensor broker (MqttSource.link$). */
  readonly broker: Observable<LinkState>;
  /** BlueZ over D-Bus. */
  readonly bluez: Observable<LinkState>;
  readonly bleSensors: Observable<DeviceStatus>;
  readonly upstream: Observable<UpstreamLinkStatus>;
  /** Up while at least one nurse console is connected. */
  readonly nurses: Observable<LinkState>;
  /** Up while alarms.db takes every alert (core/alerting/persistThenPush.ts). */
  readonly storage: Observable<LinkState>;
}

export interface LinkGraces {
  /** Broker, Bluetooth, sensors, nurse consoles (alerting.persistence.technicalRaiseMs). */
  readonly localMs: number;
  /** upstream.linkGraceSeconds. */
  readonly upstreamMs: number;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
const because = (why: string | undefined) => (why === undefined ? "" : ` (${why})`);

export function linkInputs(links: GatewayLinks, graces: LinkGraces, patientOf: (deviceId: string) => string | undefined, scheduler: SchedulerLike): Observable<AlertingSubmission> {
  const on = (patientId: string, spec: LinkConditionSpec) => (states: Observable<LinkState>) =>
    states.pipe(
      linkCondition(spec, scheduler),
      map((condition): AlertingSubmission => ({ input: { type: "technical", patientId, condition } })),
    );
  const local = graces.localMs;
  return merge(
    links.broker.pipe(
      on(GATEWAY_ID, { name: conditionNameFor("mqtt_broker"), graceMs: local, lost: (why) => `Sensor broker unreachable for over ${seconds(local)}${because(why)}: no MQTT sensor data is arriving, for any patient`, restored: "Sensor broker reachable again" }),
    ),
    links.bluez.pipe(on(GATEWAY_ID, { name: conditionNameFor("ble_unavailable"), graceMs: local, lost: bluezLost, restored: "Bluetooth available again" })),
    links.bleSensors.pipe(
      filter((s) => s.state !== "stopped"), // shutting down is not a sensor coming back
      groupBy((s) => s.deviceId),
      mergeMap((sensor) =>
        sensor.pipe(
          map((s): LinkState => ({ up: !isLost(s.state), ...(s.lastError === undefined ? {} : { why: s.lastError }) })),
          on(patientOf(sensor.key) ?? GATEWAY_ID, { name: conditionNameFor("ble_link", sensor.key), graceMs: local, lost: (why) => `Bluetooth sensor ${sensor.key} not connected${because(why)}`, restored: `Bluetooth sensor ${sensor.key} connected` }),
        ),
      ),
    ),
    links.upstream.pipe(
      filter((s) => s.state !== "stopped"),
      map((s): LinkState => ({ up: s.state === "up", ...(s.error === undefined ? {} : { why: s.error }) })),
      on(GATEWAY_ID, { name: conditionNameFor("upstream_link"), graceMs: graces.upstreamMs, lost: (why) => `Upstream link to the central broker down for over ${seconds(graces.upstreamMs)}${because(why)}: data is kept and sent when it returns`, restored: "Upstream link to the central broker restored" }),
    ),
    links.nurses.pipe(on(GATEWAY_ID, { name: conditionNameFor("no_nurse_client"), graceMs: local, lost: () => "No nurse console is connected", restored: "A nurse console is connected" })),
    // No grace: a write that failed is no blip, and the alerts it concerns are already waiting.
    links.storage.pipe(on(GATEWAY_ID, { name: conditionNameFor("storage_full"), graceMs: 0, lost: storageLost, restored: "Storage writable again: alerts are persisted" })),
  );
}

/** BleSource prefixes `service lost: ` once BlueZ had been reached: "lost" tells the nurse it worked before. */
function bluezLost(why: string | undefined): string {
  const lost = why?.startsWith("service lost: ") === true;
  const reason = lost ? why?.slice("service lost: ".length) : why;
  return `Bluetooth ${lost ? "service lost" : "unavailable"}${because(reason)}: BLE sensors are not being read`;
}

function storageLost(why: string | undefined): string {
  const tail = "alerts are not being persisted (they are shown from memory and written when the disk takes them again)";
  return why === "SQLITE_FULL" ? `storage full: ${tail}` : `storage failing${because(why)}: ${tail}`;
}
