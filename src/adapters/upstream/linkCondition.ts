/**
 * Upstream link states → the alerting engine's external technical condition `upstream_link`
 * (DESIGN §5: loss of the upstream link is a technical alarm; research ALM-6). Present once the
 * link has been continuously not up (connecting or down, reconnect attempts included) for
 * `graceMs`, so a broker restart or a short network blip does not page anyone; absent again as
 * soon as it is up. Emits only on flips; `stopped` (shutdown) emits nothing. Time comes from the
 * injected scheduler.
 */
import { defer, distinctUntilChanged, EMPTY, filter, map, of, switchMap, timer, type OperatorFunction, type SchedulerLike } from "rxjs";
import type { UpstreamLinkStatus } from "./publisher.js";

/** Structurally the engine's ExternalCondition, so this adapter does not import the alerting core. */
export interface UpstreamCondition {
  readonly name: "upstream_link";
  readonly present: boolean;
  readonly message: string;
}

export function upstreamLinkCondition(graceMs: number, scheduler: SchedulerLike): OperatorFunction<UpstreamLinkStatus, UpstreamCondition> {
  return (statuses) =>
    defer(() => {
      let raised = false; // per subscription
      return statuses.pipe(
      filter((s) => s.state !== "stopped"),
      // connecting ↔ down during retries is one outage: the grace runs from its start.
      distinctUntilChanged((a, b) => (a.state === "up") === (b.state === "up")),
      switchMap((s) => {
        if (s.state === "up") {
          if (!raised) return EMPTY;
          raised = false;
          return of<UpstreamCondition>({ name: "upstream_link", present: false, message: "Upstream link to the central broker restored" });
        }
        const why = s.error === undefined ? "" : ` (${s.error})`;
        return timer(graceMs, scheduler).pipe(
          map((): UpstreamCondition => {
            raised = true;
            return { name: "upstream_link", present: true, message: `Upstream link to the central broker down for over ${Math.round(graceMs / 1000)} s${why}: data is kept and sent when it returns` };
          }),
        );
      }),
      );
    });
}
