/**
 * Per-device link states → the alerting engine's external technical condition
 * (core/alerting/conditions.ts ExternalCondition: `technical:external:ble_link.<device id>`), emitted only when
 * a device's present/absent flips. The engine applies its own technicalRaiseMs / technicalClearMs
 * persistence, so no grace here (sensorLost.ts is the stand-alone alternative that has one).
 * `stopped` (shutdown) emits nothing: a gateway going down is not a sensor coming back.
 */
import { distinctUntilChanged, filter, groupBy, map, mergeMap, type OperatorFunction } from "rxjs";
import { deviceConditionName } from "../../core/alerting/conditionName.js";
import { isLost, type DeviceStatus } from "./status.js";

/** Structurally the engine's ExternalCondition, so this adapter does not import the alerting core. */
export interface LinkCondition {
  readonly deviceId: string;
  readonly condition: { readonly name: string; readonly present: boolean; readonly message: string };
}

/** `ble_link.<device id>`, escaped or hashed so that the engine accepts every configurable id (conditionName.ts). */
export const bleLinkConditionName = (deviceId: string): string => deviceConditionName("ble_link", deviceId);

export function linkConditions(): OperatorFunction<DeviceStatus, LinkCondition> {
  return (statuses) =>
    statuses.pipe(
      filter((s) => s.state !== "stopped"),
      groupBy((s) => s.deviceId),
      mergeMap((device) =>
        device.pipe(
          distinctUntilChanged((a, b) => isLost(a.state) === isLost(b.state)),
          map((s): LinkCondition => {
            const present = isLost(s.state);
            const why = s.lastError === undefined ? "" : ` (${s.lastError})`;
            const message = present ? `Bluetooth sensor ${s.deviceId} not connected${why}` : `Bluetooth sensor ${s.deviceId} connected`;
            return { deviceId: s.deviceId, condition: { name: bleLinkConditionName(s.deviceId), present, message } };
          }),
        ),
      ),
    );
}
