import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { thresholdAlerts, type ThresholdEvent, type ThresholdRules } from "../../src/core/pipeline/thresholdAlerts.js";
import { fixedClock, reading, sequentialIds } from "../helpers/frames.js";

const rules: ThresholdRules = {
  ruleSetVersion: "t-1",
  thresholds: { heart_rate: { low: 40, high: 130, artifactBelow: 20 }, spo2: { low: 91, artifactBelow: 50 }, body_temperature: { high: 39.1 } },
};

function run(marbles: string, values: Record<string, ReturnType<typeof reading>>): ThresholdEvent[] {
  const out: ThresholdEvent[] = [];
  new TestScheduler((a, e) => expect(a).toEqual(e)).run(({ cold, flush }) => {
    cold(marbles, values)
      .pipe(thresholdAlerts(() => rules, fixedClock(), sequentialIds()))
      .subscribe((e) => out.push(e));
    flush();
  });
  return out;
}

describe("thresholdAlerts", () => {
  it("raises once per cause while the condition holds, and reports when it clears", () => {
    new TestScheduler((a, e) => expect(a).toEqual(e)).run(({ cold, expectObservable }) => {
      const r = { n: reading("p1", "heart_rate", 80), h: reading("p1", "heart_rate", 140), i: reading("p1", "heart_rate", 150), l: reading("p1", "heart_rate", 35) };
      //   readings:  n-h-i-n-l|    normal, high, higher, normal, low
      //   events:    --R---C-S|    R raise high (once), C high clears, S raise low
      const events = cold("n-h-i-n-l|", r).pipe(thresholdAlerts(() => rules, fixedClock(), sequentialIds()));
      expectObservable(events).toBe("--R---C-S|", {
        R: { type: "raise", alert: expect.objectContaining({ id: "a1", cause: "threshold:heart_rate:high", priority: "high", kind: "physiological", ruleSetVersion: "t-1", inputs: [expect.objectContaining({ value: 140 })] }) as unknown },
        C: { type: "clear", patientId: "p1", cause: "threshold:heart_rate:high", alertId: "a1", reading: r.n },
        S: { type: "raise", alert: expect.objectContaining({ id: "a2", cause: "threshold:heart_rate:low", message: "heart rate 35 /min is below the limit 40" }) as unknown },
      });
    });
  });

  it("never alarms on artifacts: SpO2 0 (probe off) and HR 11.5 are not physiology", () => {
    const out = run("a-b-c|", { a: reading("p1", "spo2", 0, "%"), b: reading("p1", "heart_rate", 11.5), c: reading("p1", "spo2", 97, "%") });
    expect(out).toEqual([]);
  });

  it("converts units before comparing: 103 °F is above 39.1 °C, 102 °F is not", () => {
    const out = run("a-b|", { a: reading("p1", "body_temperature", 102, "[degF]"), b: reading("p1", "body_temperature", 103, "[degF]") });
    expect(out.map((e) => e.type === "raise" && e.alert.cause)).toEqual(["threshold:body_temperature:high"]);
  });

  it("ignores values that are not finite and vitals without limits", () => {
    const out = run("a-b|", { a: reading("p1", "heart_rate", Number.NaN), b: reading("p1", "steps", 1e9, "{steps}") });
    expect(out).toEqual([]);
  });
});
