import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { driverModules } from "../../devices/index.js";
import { DriverRegistry } from "../../src/core/decode/registry.js";
import type { Diagnostic } from "../../src/core/errors.js";
import { decodeFrames } from "../../src/core/pipeline/decodeFrames.js";
import { gattFrame, jsonFrame } from "../helpers/frames.js";

const registry = new DriverRegistry(Object.values(driverModules).map((m) => m.driver));
const scheduler = () => new TestScheduler((a, e) => expect(a).toEqual(e));

describe("decodeFrames", () => {
  it("decodes good frames and drops bad ones onto diagnostics without ending the stream", () => {
    const diagnostics: Diagnostic[] = [];
    scheduler().run(({ cold, expectObservable }) => {
      const frames = {
        h: gattFrame("strap", "2a37", "00 48"), //     HR 72, uint8
        t: gattFrame("strap", "2a37", "01 48"), //     flags say uint16, one byte left: truncated
        j: jsonFrame("mon", { vital: "spo2", value: 97, unit: "%" }),
        x: jsonFrame("mon", "{not json"),
        u: gattFrame("strap", "ffff", "00"), //        no driver for this characteristic
      };
      //                      frames:  h-t-j-x-u-h|
      //                      decoded: h---j-----h|
      const out = cold("h-t-j-x-u-h|", frames).pipe(decodeFrames(registry, (d) => diagnostics.push(d)));
      expectObservable(out).toBe("h---j-----h|", {
        h: { frame: frames.h, driverId: registry.match(frames.h)?.id, values: [{ vital: "heart_rate", value: 72, unit: "/min" }], fields: expect.any(Object) as unknown },
        j: { frame: frames.j, driverId: "json", values: [{ vital: "spo2", value: 97, unit: "%" }], fields: {} },
      });
    });
    expect(diagnostics.map((d) => d.code)).toEqual(["decode_truncated", "decode_malformed", "decode_unknown_source"]);
    expect(diagnostics[0]).toMatchObject({ where: "device strap mqtt:gatt/2a37", hex: "0148" });
    expect(diagnostics[0]?.message).toMatch(/heart_rate.*offset 1/);
    expect(diagnostics[2]?.message).toContain("'ffff'");
  });

  it("counts a well-formed frame without a patient value (no contact, NaN) as no_reading, with the driver's reason", () => {
    const diagnostics: Diagnostic[] = [];
    scheduler().run(({ cold, expectObservable }) => {
      const frames = {
        c: gattFrame("strap", "2a37", "04 48"), // contact supported, not detected (HRS §3.1.1.1)
        n: gattFrame("therm", "2a1c", "00 ff ff 7f 00"), // IEEE 11073 FLOAT NaN
        e: gattFrame("cuff", "2a36", "00 2800 ff07 ff07"), // intermediate cuff pressure: shown while measuring, no reading
      };
      expectObservable(cold("c-n-e|", frames).pipe(decodeFrames(registry, (d) => diagnostics.push(d)))).toBe("-----|");
    });
    expect(diagnostics).toEqual([
      { code: "no_reading", message: expect.stringMatching(/no reading: heart_rate: sensor contact not detected$/) as string, where: "device strap mqtt:gatt/2a37" },
      { code: "no_reading", message: expect.stringMatching(/no reading: temperature: value is NaN/) as string, where: "device therm mqtt:gatt/2a1c" },
      { code: "no_reading", message: expect.stringMatching(/no reading: /) as string, where: "device cuff mqtt:gatt/2a36" },
    ]);
  });
});
