/**
 * The cross-channel gates alone: values from the literature and the s25047 record in tables,
 * and the properties every input must keep.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  CUFF_LIMITS,
  cuffFault,
  judgePleth,
  pairCuff,
  pairedCuffFault,
  plethDoubt,
  PLETH_DOUBT_HOLD_MS,
  PULSE_PAIR_WINDOW_MS,
  pulseTolerance,
  type CuffFault,
  type CuffVital,
  type PlethVerdict,
} from "../../../src/core/rules/crossChannel.js";

describe("pulseTolerance: IEC 60601-2-27 ECG accuracy (±10 % or ±5 /min) + 5 /min for the pleth", () => {
  it.each([
    [30, 10],
    [50, 10],
    [60, 11],
    [75, 12.5],
    [120, 17],
    [200, 25],
  ])("ECG %d /min → %d /min", (hr, tol) => expect(pulseTolerance(hr)).toBeCloseTo(tol, 9));
});

describe("judgePleth", () => {
  const at = (value: number, time = 0) => ({ value, time });
  it.each<[string, number | undefined, number | undefined, boolean, PlethVerdict]>([
    ["s25047 min 40: ECG 73.2, pleth 102", 73.2, 102, false, "disagrees"],
    ["s25047 min 42: ECG 82.5, pleth 149", 82.5, 149, false, "disagrees"],
    ["s25047 min 44: ECG 61.6, pleth 116", 61.6, 116, false, "disagrees"],
    ["s25047 min 12: ECG 64.8, pleth 61.1", 64.8, 61.1, false, "agrees"],
    ["just inside at 60: 71", 60, 71, false, "agrees"],
    ["just outside at 60: 71.1", 60, 71.1, false, "disagrees"],
    ["AF pulse deficit: ECG 130, pleth 105", 130, 105, false, "disagrees"],
    ["no ECG (pulse oximeter alone)", undefined, 140, false, "unknown"],
    ["no pleth pulse", 75, undefined, false, "unknown"],
    ["pleth pulse an artifact (277)", 75, undefined, true, "pleth_invalid"],
  ])("%s", (_name, ecg, pleth, invalid, verdict) => {
    expect(judgePleth(ecg === undefined ? undefined : at(ecg), pleth === undefined ? undefined : at(pleth), invalid)).toBe(verdict);
  });

  it("values measured further apart than the pairing window are not compared", () => {
    expect(judgePleth(at(60, 0), at(140, PULSE_PAIR_WINDOW_MS + 1), false)).toBe("unknown");
    expect(judgePleth(at(60, 0), at(140, PULSE_PAIR_WINDOW_MS), false)).toBe("disagrees");
  });

  it("property: a pleth within 10 /min of the ECG never disagrees; one beyond 5 + max(5, 10 %) always does", () => {
    fc.assert(
      fc.property(fc.double({ min: 20, max: 250, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: -PULSE_PAIR_WINDOW_MS, max: PULSE_PAIR_WINDOW_MS }), (hr, frac, dt) => {
        expect(judgePleth(at(hr), at(hr + 10 * frac, dt), false)).toBe("agrees");
        const far = hr + Math.sign(frac || 1) * (pulseTolerance(hr) + 0.001 + Math.abs(frac) * 50);
        expect(judgePleth(at(hr), at(far, dt), false)).toBe("disagrees");
      }),
    );
  });

  it("property: never throws, and non-finite values are never judged a disagreement", () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), fc.double(), fc.boolean(), (a, b, t, inv) => {
        const v = judgePleth(at(a), at(b, t), inv);
        if (!inv && (!Number.isFinite(a) || !Number.isFinite(b))) expect(v).toBe("unknown");
      }),
    );
  });
});

describe("plethDoubt", () => {
  it.each<[PlethVerdict, number | undefined, number, string | undefined]>([
    ["disagrees", undefined, 0, "disagrees"],
    ["pleth_invalid", undefined, 0, "pleth_invalid"],
    ["agrees", 0, 1, undefined],
    ["unknown", 0, PLETH_DOUBT_HOLD_MS - 1, "unconfirmed"],
    ["unknown", 0, PLETH_DOUBT_HOLD_MS, undefined],
    ["unknown", undefined, 0, undefined],
  ])("%s, doubted at %s, now %d → %s", (verdict, at, now, doubt) => expect(plethDoubt(verdict, at, now)).toBe(doubt));
});

describe("cuffFault: Sun, Reisner & Mark 2006 abnormality criteria, pulse-pressure floor 10 mmHg", () => {
  it.each<[string, number, number | undefined, number | undefined, CuffFault | undefined]>([
    ["s25047 74/10 (MAP 31)", 74, 10, 31, "diastolic_below_floor"],
    ["s25047 45/18 (MAP 30)", 45, 18, 30, "diastolic_below_floor"],
    ["s25047 40/18 (MAP 29)", 40, 18, 29, "diastolic_below_floor"],
    ["s25047 87/46 (MAP 62)", 87, 46, 62, undefined],
    ["s25047 63/41 (MAP 52)", 63, 41, 52, undefined],
    ["s25047 94/80 (MAP 89)", 94, 80, 89, undefined],
    ["diastolic exactly at the floor, 60/20", 60, 20, 33, undefined],
    ["systolic equal to diastolic, 80/80", 80, 80, undefined, "systolic_not_above_diastolic"],
    ["systolic below diastolic, 70/90", 70, 90, undefined, "systolic_not_above_diastolic"],
    ["pulse pressure 9, 75/66", 75, 66, 70, "pulse_pressure_narrow"],
    ["pulse pressure 10, 75/65", 75, 65, 70, undefined],
    ["pulse pressure 151, 231/80", 231, 80, 130, "pulse_pressure_wide"],
    ["isolated systolic hypertension 210/80", 210, 80, 123, undefined],
    ["MAP below diastolic, 120/80 MAP 75", 120, 80, 75, "map_outside_range"],
    ["MAP equal to systolic, 120/80 MAP 120", 120, 80, 120, "map_outside_range"],
    ["systolic alone", 74, undefined, undefined, undefined],
    ["systolic and MAP above it", 80, undefined, 95, "map_outside_range"],
    ["diastolic NaN (intermediate cuff pressure)", 120, Number.NaN, Number.NaN, undefined],
  ])("%s", (_name, s, d, m, fault) => expect(cuffFault({ systolic: s, diastolic: d, mean: m })).toBe(fault));

  const plausible = fc
    .record({ d: fc.double({ min: CUFF_LIMITS.diastolicFloor, max: 140, noNaN: true }), pp: fc.double({ min: CUFF_LIMITS.pulsePressureMin, max: CUFF_LIMITS.pulsePressureMax, noNaN: true }), f: fc.double({ min: 0.01, max: 0.99, noNaN: true }) })
    .map(({ d, pp, f }) => ({ systolic: d + pp, diastolic: d, mean: d + f * pp }));

  it("property: every reading inside the limits passes, and swapping its systolic and diastolic never does", () => {
    fc.assert(
      fc.property(plausible, (r) => {
        expect(cuffFault(r)).toBeUndefined();
        expect(cuffFault({ systolic: r.diastolic, diastolic: r.systolic, mean: r.mean })).toBe("systolic_not_above_diastolic");
      }),
    );
  });

  it("property: the parts of one measurement give the same verdict in any order", () => {
    const order = fc.constantFrom<CuffVital[]>(
      ["systolic_bp", "diastolic_bp", "mean_arterial_pressure"],
      ["diastolic_bp", "systolic_bp", "mean_arterial_pressure"],
      ["mean_arterial_pressure", "diastolic_bp", "systolic_bp"],
      ["diastolic_bp", "mean_arterial_pressure", "systolic_bp"],
    );
    const any = fc.record({ systolic: fc.double({ min: 1, max: 300, noNaN: true }), diastolic: fc.double({ min: 1, max: 300, noNaN: true }), mean: fc.double({ min: 1, max: 300, noNaN: true }) });
    fc.assert(
      fc.property(any, order, fc.integer({ min: 0, max: 2000 }), (r, parts, jitter) => {
        const value = { systolic_bp: r.systolic, diastolic_bp: r.diastolic, mean_arterial_pressure: r.mean };
        const paired = parts.reduce((p, v, i) => pairCuff(p, v, "cuff-1", 1000 + (i === 0 ? 0 : jitter), value[v]), pairCuff(undefined, "diastolic_bp", "other", 0, 10));
        expect(pairedCuffFault(paired)).toBe(cuffFault(r));
      }),
    );
  });
});
