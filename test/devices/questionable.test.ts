/**
 * Device status flags → the same artifact flag as the cross-channel gates (issue 12): a value its
 * own device doubts is kept and stored, flagged `artifact`, and raises a technical alarm instead of
 * a NEWS2 score. A status that describes the patient (low perfusion, an irregular pulse) does not.
 */
import { firstValueFrom, of, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { driver as plxSpotCheck } from "../../devices/bt-sig/plxSpotCheck.js";
import { driver as bloodPressure } from "../../devices/bt-sig/bloodPressure.js";
import { driver as temperature } from "../../devices/bt-sig/temperatureMeasurement.js";
import { decodeHex } from "../../src/core/decode/vectors.js";
import { attributeToPatient } from "../../src/core/pipeline/attributeToPatient.js";
import { ofType, rig, WALL0 } from "../core/alerting/helpers.js";

const artifactsOf = (d: typeof plxSpotCheck, hex: string) => decodeHex(d, hex).readings.map((r) => r.artifact);

describe("drivers flag what their device doubts", () => {
  it.each([
    ["PLX equipment_malfunction", plxSpotCheck, "04 acf3 bef5 020000", "device and sensor status: equipment_malfunction"],
    ["PLX questionable_pulse", plxSpotCheck, "04 acf3 bef5 000100", "device and sensor status: questionable_pulse"],
    ["PLX questionable_measurement", plxSpotCheck, "02 acf3 bef5 0040", "measurement status: questionable_measurement"],
    ["PLX low_perfusion only (the patient's state)", plxSpotCheck, "04 acf3 bef5 200000", undefined],
    ["PLX fully qualified data", plxSpotCheck, "02 acf3 bef5 0001", undefined],
    ["cuff body_movement", bloodPressure, "10 7800 5000 6400 0100", "measurement status: body_movement"],
    ["cuff improper_position", bloodPressure, "10 7800 5000 6400 2000", "measurement status: improper_position"],
    ["cuff irregular_pulse only (the patient's rhythm)", bloodPressure, "10 7800 5000 6400 0400", undefined],
    ["thermometer at the toe", temperature, "04 b00e00fe 08", "temperature site: toe (skin, not a body temperature)"],
    ["thermometer in the ear drum", temperature, "04 b00e00fe 09", undefined],
  ] as const)("%s", (_name, d, hex, why) => {
    const got = artifactsOf(d, hex);
    expect(got.length).toBeGreaterThan(0);
    for (const a of got) expect(a).toBe(why);
  });

  it("a flagged value reaches the patient's readings with the `artifact` quality flag", async () => {
    const values = decodeHex(plxSpotCheck, "04 acf3 bef5 020000").readings;
    const frame = { deviceId: "ox-1", source: "ble:gatt" as const, channel: "2a5e", bytes: new Uint8Array(), receivedAt: WALL0 };
    const readings = await firstValueFrom(of({ frame, driverId: plxSpotCheck.id, values }).pipe(attributeToPatient(() => "p1", () => {}), toArray()));
    expect(readings.map((r) => [r.vital, r.quality])).toEqual([
      ["spo2", ["receipt_time", "artifact"]],
      ["pulse_rate", ["receipt_time", "artifact"]],
    ]);
  });

  it("the issue's PLX spot-check (94 %, 147 /min, questionable, malfunction, low perfusion) raises a technical alarm, no NEWS2", () => {
    const r = rig();
    const values = decodeHex(plxSpotCheck, "0f acf3 bef5 e8070b1d170839 2040 220000 66e3").readings;
    const events = [];
    for (let i = 0; i < 90; i++) {
      r.clock.t += 5_000;
      for (const v of values) events.push(...r.engine.onReading({ patientId: "p1", deviceId: "ox-1", vital: v.vital, value: v.value, unit: v.unit, time: WALL0 + r.clock.t, receivedAt: WALL0 + r.clock.t, quality: ["receipt_time", ...(v.artifact ? (["artifact"] as const) : [])] }));
      events.push(...r.engine.onTick());
    }
    const raised = ofType(events, "raise").map((e) => e.alert);
    expect(raised.filter((a) => a.kind === "physiological")).toEqual([]);
    expect(raised.map((a) => [a.cause, a.message])).toEqual(expect.arrayContaining([["technical:spo2:artifact", "spo2: the sensor marked the value invalid"]]));
  });
});
