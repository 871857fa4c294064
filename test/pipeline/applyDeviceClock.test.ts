/**
 * Stored records keep their device time, converted through the device's clock offset (issue 12):
 * real drivers' frames in, the times the alerting engine will see out.
 */
import { firstValueFrom, from, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { driverModules } from "../../devices/index.js";
import { decodeHex } from "../../src/core/decode/vectors.js";
import type { Driver } from "../../src/core/decode/driver.js";
import type { DecodedFrame } from "../../src/core/pipeline/decodeFrames.js";
import { applyDeviceClock, deviceClockMs, FUTURE_TOLERANCE_MS } from "../../src/core/pipeline/applyDeviceClock.js";
import { attributeToPatient } from "../../src/core/pipeline/attributeToPatient.js";

const driver = (id: string): Driver => Object.values(driverModules).find((m) => m.driver.id === id)!.driver;
const R = Date.parse("2026-11-29T10:00:00Z"); // gateway wall clock at the clock read

function frame(driverId: string, hex: string, deviceId: string, receivedAt: number): DecodedFrame {
  const out = decodeHex(driver(driverId), hex);
  return { frame: { deviceId, source: "ble:gatt", channel: "x", bytes: new Uint8Array(), receivedAt }, driverId, values: out.readings, fields: out.fields };
}
// The oximeter's clock reads 2024-11-29 23:10:00 at R (years off: never set by a phone).
const clockRead = (deviceId = "ox-1") => frame("bt-sig.current-time", "e807 0b 1d 17 0a 00 05 00 00", deviceId, R);
// A spot-check taken at 23:08:57 on that clock, 63 s before the clock read; handed over 20 min later.
const spotCheck = (deviceId = "ox-1", flags = "01") => frame("bt-sig.plx-spot-check", `${flags} acf3 bef5 e8070b1d170839`, deviceId, R + 20 * 60_000);

async function readings(frames: DecodedFrame[]) {
  return firstValueFrom(from(frames).pipe(applyDeviceClock(), attributeToPatient(() => "p1", () => {}), toArray()));
}

describe("applyDeviceClock", () => {
  it("a late spot-check is timed when it was taken, on the gateway's clock, flagged device_time", async () => {
    const out = await readings([clockRead(), spotCheck()]);
    expect(out.map((r) => [r.vital, r.time - R, r.receivedAt - R, r.quality])).toEqual([
      ["spo2", -63_000, 20 * 60_000, ["device_time"]],
      ["pulse_rate", -63_000, 20 * 60_000, ["device_time"]],
    ]);
  });

  it("a stored glucose record is converted the same way", async () => {
    const meterClock = frame("bt-sig.current-time", "e307 02 1b 0b 0a 1e 03 80 00", "gl-1", R); // 2019-02-27 11:10:30.5
    const record = frame("bt-sig.glucose", "0b 0100 e307021b0b0a1e fbff 12b0 11 0000", "gl-1", R + 3_600_000);
    const [g] = await readings([meterClock, record]);
    expect(g?.vital).toBe("glucose");
    expect(g!.time - R).toBe(-5 * 60_000 - 500); // base time 11:10:30 − 5 min offset, against 11:10:30.5 at R
    expect(g?.quality).toEqual(["device_time"]);
  });

  it("without a clock read from that device, the receipt time stays (never guessed)", async () => {
    const out = await readings([clockRead("another-device"), spotCheck()]);
    expect(out.map((r) => [r.time - R, r.quality])).toEqual([
      [20 * 60_000, ["receipt_time"]],
      [20 * 60_000, ["receipt_time"]],
    ]);
  });

  it("a device that says its clock is not set keeps the receipt time", async () => {
    const out = await readings([clockRead(), spotCheck("ox-1", "11")]);
    expect(out.every((r) => r.quality[0] === "receipt_time")).toBe(true);
  });

  it("a record that would lie in the future (the device clock was reset since) keeps the receipt time", async () => {
    const early = { ...spotCheck(), frame: { ...spotCheck().frame, receivedAt: R - 63_000 - FUTURE_TOLERANCE_MS - 1 } };
    const out = await readings([clockRead(), early]);
    expect(out.every((r) => r.quality[0] === "receipt_time")).toBe(true);
  });

  it("deviceClockMs reads only a Date Time's ISO form", () => {
    expect(deviceClockMs("2024-11-29T23:08:57")).toBe(Date.parse("2024-11-29T23:08:57Z"));
    for (const bad of ["2024-11-29", "2024-13-29T23:08:57", 17, undefined, "2024-11-29T23:08:57Z"]) expect(deviceClockMs(bad)).toBeUndefined();
  });
});
