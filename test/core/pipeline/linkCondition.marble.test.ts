import { TestScheduler } from "rxjs/testing";
import { expect, it } from "vitest";
import { createAlerting } from "../../../src/core/alerting/alerting.js";
import { resolveAlertingConfig } from "../../../src/core/alerting/config.js";
import type { LinkState } from "../../../src/core/link.js";
import { linkCondition, type LinkConditionSpec } from "../../../src/core/pipeline/linkCondition.js";

const spec: LinkConditionSpec = { name: "mqtt_broker", graceMs: 10_000, lost: (why) => `broker lost${why === undefined ? "" : ` (${why})`}`, restored: "broker back" };
const values: Record<string, LinkState> = { u: { up: true }, d: { up: false, why: "ECONNREFUSED" }, o: { up: false, why: "offline" } };
const lost = (why: string) => ({ name: "mqtt_broker", present: true, message: `broker lost (${why})`, settled: true });
const back = { name: "mqtt_broker", present: false, message: "broker back", settled: true };

it("raises after the grace of a continuous outage (retries included), names its first reason, clears when up", () => {
  const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
  ts.run(({ hot, expectObservable }) => {
    // A start that never connects: raised 10 s after the first down, though the retries (o d o) keep coming.
    expectObservable(hot("d 2s o 2s d 2s o 10s u 5s |", values).pipe(linkCondition(spec, ts))).toBe("10s a 6003ms b 5000ms |", { a: lost("ECONNREFUSED"), b: back });
    // A blip shorter than the grace: nothing at all, not even a clear.
    expectObservable(hot("u 2s d 2s o 2s u 20s |", values).pipe(linkCondition(spec, ts))).toBe("26004ms |");
    // Up again and down again: a new grace from the new outage's start.
    expectObservable(hot("u o 11s u 1s d 20s |", values).pipe(linkCondition(spec, ts))).toBe("10001ms a 1000ms b 11000ms c 10000ms |", { a: lost("offline"), b: back, c: lost("ECONNREFUSED") });
  });
});

it("cancels a pending loss when the source completes (shutdown is no lost link)", () => {
  const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
  ts.run(({ hot, expectObservable }) => {
    expectObservable(hot("u d 2s |", values).pipe(linkCondition(spec, ts))).toBe("2002ms |");
  });
});

it("is the only grace: the engine raises the settled condition at once, not technicalRaiseMs later (issue 13 item 2)", () => {
  // The engine's own technical persistence is 30 s; the operator's grace is 10 s.
  let now = 0;
  const clock = { now: () => now, monotonic: () => now };
  const alerting = createAlerting(resolveAlertingConfig({ persistence: { technicalRaiseMs: 30_000, technicalClearMs: 30_000 } }), { clock, newId: () => `a${now}` });
  const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
  const raisedAt: number[] = [];
  const resolvedAt: number[] = [];
  ts.run(({ hot, flush }) => {
    hot("u d 20s u", values)
      .pipe(linkCondition(spec, ts))
      .subscribe((condition) => {
        now = ts.now();
        for (const e of alerting.handle({ type: "technical", patientId: "_gateway", condition })) {
          if (e.type === "raise") raisedAt.push(now);
          if (e.type === "resolve") resolvedAt.push(now);
        }
      });
    flush();
  });
  expect(raisedAt).toEqual([10_001]); // grace 10 s after the loss at 1 ms; the old path said 40 s
  expect(resolvedAt).toEqual([20_002]); // at once when the link is back; the old path waited technicalClearMs more
});

it("a link lost again soon after it came back is raised again (no rate limit on settled link conditions)", () => {
  const clock = { now: () => 0, monotonic: () => 0 };
  const alerting = createAlerting(resolveAlertingConfig({}), { clock, newId: (() => { let i = 0; return () => `a${i++}`; })() });
  const condition = (present: boolean) => ({ type: "technical" as const, patientId: "_gateway", condition: { name: "mqtt_broker", present, message: "m", settled: true } });
  const types = [true, false, true].flatMap((present) => alerting.handle(condition(present)).map((e) => e.type));
  expect(types).toEqual(["raise", "resolve", "raise"]);
});
