import { describe, expect, it } from "vitest";
import { stayAlerts, volumeRatioCi, type StayAlerts } from "../../src/eval/volumeCi.js";
import { episodes } from "../../src/eval/metrics.js";

const sa = (alerts: number[], caught: number[]): StayAlerts => ({ alerts: Int32Array.from(alerts), caught: Uint8Array.from(caught) });

// 40 stays, every 5th died; NEWS2 alerts 4 times on every stay and catches every death.
const died = Array.from({ length: 40 }, (_, i) => i % 5 === 0);
const news = sa(died.map(() => 4), died.map(() => 1));

describe("volumeRatioCi", () => {
  it("is degenerate at 1 when the gateway's only threshold alerts exactly like NEWS2", () => {
    expect(volumeRatioCi(news, [news], died)).toEqual([1, 1]);
  });

  it("is degenerate at 0.5 for a gateway with half the alerts on every stay and every death caught", () => {
    expect(volumeRatioCi(news, [sa(died.map(() => 2), died.map(() => 1))], died)).toEqual([0.5, 0.5]);
  });

  it("takes, per resample, the quietest threshold that still reaches NEWS2's sensitivity", () => {
    // Threshold A: 1 alert per stay but misses every death; B: 3 alerts per stay, catches all.
    const a = sa(died.map(() => 1), died.map(() => 0));
    const b = sa(died.map(() => 3), died.map(() => 1));
    expect(volumeRatioCi(news, [a, b], died)).toEqual([0.75, 0.75]);
  });

  it("is +∞ when no threshold ever reaches NEWS2's sensitivity", () => {
    expect(volumeRatioCi(news, [sa(died.map(() => 1), died.map(() => 0))], died)).toEqual([Infinity, Infinity]);
  });

  it("is reproducible and widens when the matched point hinges on one hard death", () => {
    // Threshold quiet: 1 alert per stay, misses death 0; loud: 4 alerts per stay, catches all.
    const quiet = sa(died.map(() => 1), died.map((_, i) => (i === 0 ? 0 : 1)));
    const loud = sa(died.map(() => 4), died.map(() => 1));
    const ci = volumeRatioCi(news, [quiet, loud], died);
    expect(volumeRatioCi(news, [quiet, loud], died)).toEqual(ci);
    // Full sample needs "loud" (1.0×); resamples without stay 0 get away with "quiet" (0.25×).
    expect(ci[0]).toBe(0.25);
    expect(ci[1]).toBe(1);
  });

  it("stayAlerts reads counts and first-alert from episodes", () => {
    const e = [episodes([0, 6, 6, 6, 6, 6, 0], { threshold: 5, clearBelow: 5 }), episodes([0, 0, 0], { threshold: 5, clearBelow: 5 })];
    const s = stayAlerts(e);
    expect([...s.alerts]).toEqual([2, 0]); // rising edge + one 4-tick reminder
    expect([...s.caught]).toEqual([1, 0]);
  });
});
