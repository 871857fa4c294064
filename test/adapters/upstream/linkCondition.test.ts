import { TestScheduler } from "rxjs/testing";
import { expect, it } from "vitest";
import { upstreamLinkCondition } from "../../../src/adapters/upstream/linkCondition.js";
import type { UpstreamLinkState, UpstreamLinkStatus } from "../../../src/adapters/upstream/publisher.js";

const st = (state: UpstreamLinkState, error?: string): UpstreamLinkStatus => ({ state, since: 0, ...(error === undefined ? {} : { error }) });
const lost = (why = "") => ({ name: "upstream_link", present: true, message: `Upstream link to the central broker down for over 10 s${why}: data is kept and sent when it returns` });
const back = { name: "upstream_link", present: false, message: "Upstream link to the central broker restored" };

it("raises upstream_link after the grace of a continuous outage, clears it when the link is up, ignores blips and shutdown", () => {
  const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
  ts.run(({ hot, expectObservable }) => {
    const values = { c: st("connecting"), u: st("up"), d: st("down", "ECONNREFUSED"), s: st("stopped") };
    // A start that never connects: raised 10 ms after the first `connecting`, though retries (d c d) keep coming.
    expectObservable(hot("c 2s d 2s c 2s d 10s u 5s s|", values).pipe(upstreamLinkCondition(10_000, ts))).toBe("10s a 6003ms b 5001ms |", { a: lost(), b: back });
    // A blip shorter than the grace: nothing at all, not even a clear.
    expectObservable(hot("u 2s d 2s c 2s u 20s |", values).pipe(upstreamLinkCondition(10_000, ts))).toBe("26004ms |");
    // The reason of the outage's start is in the message.
    expectObservable(hot("u d 20s u|", values).pipe(upstreamLinkCondition(10_000, ts))).toBe("10001ms a 10000ms b|", { a: lost(" (ECONNREFUSED)"), b: back });
  });
});
