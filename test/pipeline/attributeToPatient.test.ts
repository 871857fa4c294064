import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/core/errors.js";
import { attributeToPatient } from "../../src/core/pipeline/attributeToPatient.js";
import type { DecodedFrame } from "../../src/core/pipeline/decodeFrames.js";
import { gattFrame } from "../helpers/frames.js";

const T = 1_764_000_000_000;
const devices = new Map([["strap", "p1"]]);

describe("attributeToPatient", () => {
  it("turns values into the patient's readings, with device time when the frame has one", () => {
    const diagnostics: Diagnostic[] = [];
    new TestScheduler((a, e) => expect(a).toEqual(e)).run(({ cold, expectObservable }) => {
      const withTime: DecodedFrame = {
        frame: { ...gattFrame("strap", "2a1c", "00", T + 500), deviceTime: T },
        driverId: "t",
        values: [{ vital: "body_temperature", value: 37.2, unit: "Cel", precision: 1 }],
      };
      const two: DecodedFrame = {
        frame: gattFrame("strap", "2a37", "00", T),
        driverId: "hr",
        values: [
          { vital: "heart_rate", value: 77, unit: "/min" },
          { vital: "rr_interval", value: 0.77, unit: "s", time: T - 100 },
        ],
      };
      const stranger: DecodedFrame = { frame: gattFrame("nobody", "2a37", "00", T), driverId: "hr", values: [{ vital: "heart_rate", value: 60, unit: "/min" }] };
      //              decoded:  a-b--s|
      //              readings: a-(bc)|   (the stranger's frame is reported, not guessed)
      const out = cold("a-b--s|", { a: withTime, b: two, s: stranger }).pipe(attributeToPatient((d) => devices.get(d), (d) => diagnostics.push(d)));
      const base = { patientId: "p1", deviceId: "strap", receivedAt: T };
      expectObservable(out).toBe("a-(bc)|", {
        a: { ...base, receivedAt: T + 500, vital: "body_temperature", value: 37.2, unit: "Cel", precision: 1, time: T, quality: ["device_time"] },
        b: { ...base, vital: "heart_rate", value: 77, unit: "/min", time: T, quality: ["receipt_time"] },
        c: { ...base, vital: "rr_interval", value: 0.77, unit: "s", time: T - 100, quality: ["device_time"] },
      });
    });
    expect(diagnostics).toEqual([{ code: "unknown_device", message: expect.stringContaining("'nobody'") as string, where: "device nobody" }]);
  });
});
