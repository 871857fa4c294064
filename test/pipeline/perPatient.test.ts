import { scan, map } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { perPatient } from "../../src/core/pipeline/perPatient.js";
import { reading } from "../helpers/frames.js";

describe("perPatient", () => {
  it("keeps one state per patient: a running count never mixes patients", () => {
    new TestScheduler((a, e) => expect(a).toEqual(e)).run(({ cold, expectObservable }) => {
      const r = { a: reading("p1", "heart_rate", 60), b: reading("p2", "heart_rate", 70), c: reading("p1", "heart_rate", 80) };
      //   readings: a-b-c|
      //   counts:   x-y-z|   p1:1, p2:1, p1:2
      const counted = cold("a-b-c|", r).pipe(
        perPatient((id, readings) =>
          readings.pipe(
            scan((n) => n + 1, 0),
            map((n) => `${id}:${n}`),
          ),
        ),
      );
      expectObservable(counted).toBe("x-y-z|", { x: "p1:1", y: "p2:1", z: "p1:2" });
    });
  });
});
