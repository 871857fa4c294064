/**
 * The whole chain, readings → quality gates → NEWS2 → persistence → state machine → alert events,
 * in virtual time (TestScheduler; 1 frame = 1 ms). Timings are scaled down so the diagrams fit:
 * raise high after 30 ms, medium after 50 ms, clear after 30 ms, technical after 20 ms,
 * escalation T1 40 ms / T2 80 ms, tick every 10 ms.
 */
import { from, map, mergeAll, mergeMap, pipe } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { createAlerting, type AlertingInput } from "../../../src/core/alerting/alerting.js";
import { alertingPerPatient } from "../../../src/core/alerting/alertingPerPatient.js";
import { resolveAlertingConfig, type AlertingConfig } from "../../../src/core/alerting/config.js";
import type { AlertEvent } from "../../../src/core/alerting/events.js";
import type { Vital } from "../../../src/core/model.js";
import { nurse, reading } from "./helpers.js";

const config = resolveAlertingConfig({
  persistence: { raiseMs: { high: 30, medium: 50, low: 50 }, clearMs: 30, technicalRaiseMs: 20, technicalClearMs: 20 },
  escalation: { t1Ms: 40, t2Ms: 80 },
  pause: { audioMaxMs: 30, alarmMaxMs: 30 },
});

/** One letter per event, so a diagram reads like the alarm's story. */
function code(e: AlertEvent): string {
  switch (e.type) {
    case "raise":
      return e.alert.kind === "technical" ? "T" : e.alert.priority === "high" ? "H" : "M";
    case "update":
      return e.announce ? "A" : e.alert.state === "acknowledged" ? "k" : e.alert.state.endsWith("paused") ? "p" : "u";
    case "escalate":
      return String(e.level);
    case "resolve":
      return "x";
    case "suppress":
      return "s";
    case "reject":
      return "r";
    case "note":
      return "n";
    default:
      return e satisfies never;
  }
}

const vitals = (values: Partial<Record<Vital, number>>) => (t: number): AlertingInput[] =>
  Object.entries(values).map(([v, x]) => ({ type: "reading", reading: reading(v as Vital, x, t) }));
// NEWS2 9 (RR 3, SpO2 3, pulse 3) / NEWS2 1 (pulse 100 scores 1; 131 → 100 is a believable step).
const H = vitals({ respiratory_rate: 26, spo2: 91, heart_rate: 131 });
const N = vitals({ respiratory_rate: 16, spo2: 97, heart_rate: 100 });
const PROBE_OFF = vitals({ respiratory_rate: 16, spo2: 0, heart_rate: 100 });

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** The engine on virtual time: wall and monotonic clocks both read the TestScheduler. */
function engineOn(ts: TestScheduler, cfg: AlertingConfig = config) {
  let n = 0;
  const alerting = createAlerting(cfg, { clock: { now: () => ts.now(), monotonic: () => ts.now() }, newId: () => `a${++n}` });
  return pipe(
    map((input: AlertingInput) => ({ input })),
    alertingPerPatient(alerting, { scheduler: ts, tickMs: 10 }),
    mergeAll(),
  );
}

describe("alertingPerPatient (marbles)", () => {
  it("raises after persistence, escalates at T1, stops escalating on ack, resolves when the condition ends", () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      // time (ms)   0    10   20   30   40   50   60   70   80   90   100  110  120  130  140  150
      // readings    H----H----H----H----H----H----H----H----H----H----N----N----N----N----N----|
      // NEWS2       9 ................................................1 ...................
      // held ≥ 7    0 ms ------------- 30 ms: raise H (latching high)
      // T1 = 40 ms after the raise (70): escalate 1; ack at 90 (k): no escalation 2 at 110
      // below 7 from 100; 30 ms later (130) the acknowledged alarm resolves (x)
      const src = "a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms a 9ms (ak) 6ms b 9ms b 9ms b 9ms b 9ms b 9ms |";
      const want = "30ms H 39ms 1 19ms k 39ms x 19ms |";
      const input$ = cold(src, { a: "H", k: "ack", b: "N" }).pipe(
        mergeMap((v) => {
          const t = ts.now();
          if (v === "ack") return from<AlertingInput[]>([{ type: "ack", patientId: "p1", alertId: "a1", actor: nurse }]);
          return from(v === "H" ? H(t) : N(t));
        }),
      );
      expectObservable(input$.pipe(engineOn(ts), map(code))).toBe(want);
    });
  });

  it("an audio pause silences until it expires, then the persisting alarm is re-announced", () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      // time (ms)   0    10   20   30   40   50   60   70   80
      // readings    H----H----H----H----H----H----H----H----H|
      //                            H (raise at 30)
      //                                 p audio pause at 40, max 30 ms → until 70
      //                                                A re-announced at 70 (escalation clock restarts: T1 at 110, after the end)
      const src = "a 9ms a 9ms a 9ms a 9ms (ap) 5ms a 9ms a 9ms a 9ms a 9ms |";
      const want = "30ms H 9ms p 29ms A 18ms |";
      const input$ = cold(src, { a: "H", p: "pause" }).pipe(
        mergeMap((v) => {
          if (v === "pause") return from<AlertingInput[]>([{ type: "pause", patientId: "p1", request: { alertId: "a1", kind: "audio_pause", durationMs: 60_000, actor: nurse } }]);
          return from(H(ts.now()));
        }),
      );
      expectObservable(input$.pipe(engineOn(ts), map(code))).toBe(want);
    });
  });

  it("SpO2 probe off is a technical alarm (never physiological) that clears when the signal returns", () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      // time (ms)   0    10   20   30   40   50   60   70   80   90
      // readings    N----0----0----0----0----N----N----N----N----N|    (0 = SpO2 0, probe off)
      // artifact    .    from 10 ......... 20 ms held at 30: T
      // valid again at 50; 20 ms later (70) the technical alarm resolves: x
      const src = "n 9ms o 9ms o 9ms o 9ms o 9ms n 9ms n 9ms n 9ms n 9ms n 9ms |";
      const want = "30ms T 39ms x 29ms |";
      const input$ = cold(src, { n: "N", o: "OFF" }).pipe(mergeMap((v) => from(v === "N" ? N(ts.now()) : PROBE_OFF(ts.now()))));
      expectObservable(input$.pipe(engineOn(ts), map(code))).toBe(want);
    });
  });

  it("timers run on the scheduler alone: escalation T1/T2 and sensor dropout with no readings arriving", () => {
    const ts = scheduler();
    const quiet = resolveAlertingConfig({ ...config, quality: { heart_rate: { dropoutMs: 50 } } });
    ts.run(({ cold, expectObservable }) => {
      // time (ms)   0    10   20   30   40   50   60   70   80   90   100  110 ... 200
      // readings    H----H----H----H------------------------------------------------ (source stays open)
      //                            H raised at 30
      //                                                1 T1 at 70 (tick)
      //                                                     HR silent for 50 ms (80) + 20 ms held: T at 100
      //                                                                    2 T2 at 110 (tick)
      const input$ = cold("a 9ms a 9ms a 9ms a", { a: 0 }).pipe(mergeMap(() => from(H(ts.now()))));
      const out$ = input$.pipe(engineOn(ts, quiet), map(code));
      expectObservable(out$, "200ms !").toBe("30ms H 39ms 1 29ms T 9ms 2");
    });
  });

  it("keeps patients apart: one patient's alarm never appears on another", () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const src = "a 9ms a 9ms a 9ms a 9ms |";
      const input$ = cold(src, { a: 0 }).pipe(
        mergeMap(() => from([...H(ts.now()), ...N(ts.now()).map((i) => (i.type === "reading" ? { ...i, reading: { ...i.reading, patientId: "p2" } } : i))])),
      );
      const out$ = input$.pipe(engineOn(ts), map((e) => `${e.type}:${"alert" in e ? e.alert.patientId : ""}`));
      expectObservable(out$).toBe("30ms a 9ms |", { a: "raise:p1" });
    });
  });

  it("gives each input's events as one batch, and replies with them after they went downstream", () => {
    const ts = scheduler();
    const order: string[] = [];
    ts.run(({ cold, flush }) => {
      let n = 0;
      const alerting = createAlerting(config, { clock: { now: () => ts.now(), monotonic: () => ts.now() }, newId: () => `a${++n}` });
      const ack = { type: "ack", patientId: "p1", alertId: "nope", actor: nurse } as const;
      cold("a|", { a: { input: ack, reply: (events: readonly AlertEvent[]) => order.push(`reply:${events.map((e) => e.type).join()}`) } })
        .pipe(alertingPerPatient(alerting, { scheduler: ts, tickMs: 10 }))
        .subscribe((batch) => order.push(`batch:${batch.map((e) => e.type).join()}`));
      flush();
    });
    expect(order).toEqual(["batch:reject", "reply:reject"]);
  });
});
