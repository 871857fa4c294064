/**
 * Per-device link states → "sensor lost" / "sensor restored" events for a technical alarm
 * (IEC 60601-1-8 technical alarm condition). A device counts as lost once it has been unreachable
 * (connecting or disconnected, see isLost) for `graceMs` without a break: a reconnect inside the
 * grace raises nothing. Restored is sent only after a lost. A sensor that never connects at all is
 * lost after graceMs too. `stopped` (shutdown) cancels a pending loss and raises nothing.
 * Pure: time comes from the injected scheduler.
 */
import { asyncScheduler, distinctUntilChanged, EMPTY, groupBy, map, mergeMap, of, switchMap, tap, timer, type OperatorFunction, type SchedulerLike } from "rxjs";
import { isLost, type DeviceStatus } from "./status.js";

export interface SensorLinkEvent {
  readonly deviceId: string;
  readonly kind: "lost" | "restored";
  /** Last reason the adapter gave (BlueZ error, "link lost"); no patient data. */
  readonly reason?: string;
}

type Phase = "up" | "down" | "stopped";
const phaseOf = (s: DeviceStatus): Phase => (s.state === "stopped" ? "stopped" : isLost(s.state) ? "down" : "up");

export function sensorLost(graceMs: number, scheduler: SchedulerLike = asyncScheduler): OperatorFunction<DeviceStatus, SensorLinkEvent> {
  return (statuses) =>
    statuses.pipe(
      groupBy((s) => s.deviceId),
      mergeMap((device) => {
        let latest: DeviceStatus | undefined;
        let raised = false; // a loss was reported and not yet restored
        return device.pipe(
          tap((s) => (latest = s)),
          map(phaseOf),
          distinctUntilChanged(), // connecting → disconnected → connecting is one outage, one timer
          switchMap((phase) => {
            switch (phase) {
              case "down":
                return timer(graceMs, scheduler).pipe(
                  map((): SensorLinkEvent => {
                    raised = true;
                    const reason = latest?.lastError;
                    return { deviceId: device.key, kind: "lost", ...(reason === undefined ? {} : { reason }) };
                  }),
                );
              case "up":
                if (!raised) return EMPTY;
                raised = false;
                return of<SensorLinkEvent>({ deviceId: device.key, kind: "restored" });
              case "stopped":
                return EMPTY;
              default:
                return phase satisfies never;
            }
          }),
        );
      }),
    );
}
