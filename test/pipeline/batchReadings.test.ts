import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { batchReadings } from "../../src/core/pipeline/batchReadings.js";

const testScheduler = () => new TestScheduler((a, e) => expect(a).toEqual(e));

describe("batchReadings (window 10 ms, at most 3 per batch)", () => {
  it("writes a full batch at once, without waiting for the window", () => {
    const ts = testScheduler();
    ts.run(({ hot, expectObservable }) => {
      // readings:  ab-c 20ms d|
      // batches:   ---x 21ms (y|)     x = [a,b,c] when c fills it; empty windows are not emitted
      const source = hot("ab-c 20ms d|");
      expectObservable(source.pipe(batchReadings(10, 3, ts))).toBe("---x 21ms (y|)", { x: ["a", "b", "c"], y: ["d"] });
    });
  });

  it("writes what it has when the window closes", () => {
    const ts = testScheduler();
    ts.run(({ hot, expectObservable }) => {
      // readings:  a 14ms b 30ms |
      // batches:   10ms x 9ms y 25ms |
      const source = hot("a 14ms b 30ms |");
      expectObservable(source.pipe(batchReadings(10, 3, ts))).toBe("10ms x 9ms y 25ms |", { x: ["a"], y: ["b"] });
    });
  });
});
