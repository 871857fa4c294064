import { describe, expect, it } from "vitest";
import { addMinutes, dateTimeIso } from "../../../src/core/decode/dateTime.js";
import { bitNames, ByteReader, crc16Mcrf4xx, hexToBytes, medfloatJson, scaled, sfloatFromRaw } from "../../../src/core/decode/kit.js";
import { output } from "../../../src/core/decode/output.js";
import { DecodeError } from "../../../src/core/errors.js";

const reader = (hex: string) => new ByteReader(hexToBytes(hex), "test.kit");
const errorOf = (fn: () => unknown): DecodeError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error("did not throw");
};

describe("ByteReader", () => {
  it("reads little-endian integers", () => {
    const r = reader("ff 3412 fe ff 563412 78563412 80");
    expect([r.s8("a"), r.u16le("b"), r.s16le("c"), r.u24le("d"), r.u32le("e"), r.u8("f")]).toEqual([-1, 0x1234, -2, 0x123456, 0x12345678, 0x80]);
    expect(r.remaining).toBe(0);
  });

  it("a short frame fails naming the driver, field and byte offset", () => {
    const r = reader("01 02 03");
    r.u16le("flags");
    const e = errorOf(() => r.u16le("heart_rate"));
    expect(e.code).toBe("decode_truncated");
    expect([e.driverId, e.field, e.offset]).toEqual(["test.kit", "heart_rate", 2]);
    expect(e.message).toBe("test.kit: field 'heart_rate' needs 2 byte(s) at offset 2, frame has 3");
  });

  it("flags8 names bits and rejects reserved ones with their offset", () => {
    expect(reader("16").flags8("flags", { u16: 0, rr: 4 }, 0xe0)).toEqual({ u16: false, rr: true, raw: 0x16 });
    const e = errorOf(() => reader("a1").flags8("flags", { u16: 0 }, 0xe0));
    expect([e.code, e.field, e.offset]).toEqual(["decode_reserved", "flags", 0]);
    expect(e.message).toContain("0xa0");
  });

  it("range checks fail with decode_range at the value's offset", () => {
    const e = errorOf(() => {
      const r = reader("00 6500");
      r.u8("flags");
      r.sfloat("spo2", { min: 0, max: 100 });
    });
    expect([e.code, e.field, e.offset]).toEqual(["decode_range", "spo2", 1]);
    // special values are not numbers and are not range-checked
    expect(reader("ff07").sfloat("spo2", { min: 0, max: 100 }).kind).toBe("NaN");
  });

  it("a sub-reader stops at its record and reports frame-absolute offsets", () => {
    const r = reader("aa 0102 03");
    r.u8("x");
    const rec = r.sub(2, "record");
    expect(rec.u16le("v")).toBe(0x0201);
    const e = errorOf(() => rec.u8("w"));
    expect([e.offset, e.message]).toEqual([3, "test.kit: field 'w' needs 1 byte(s) at offset 3, record ends at 3"]);
    expect(r.u8("last")).toBe(3);
  });

  it("end() refuses trailing bytes", () => {
    const r = reader("01 02");
    r.u8("a");
    expect(errorOf(() => r.end())).toMatchObject({ offset: 1, field: "trailing_bytes", message: "test.kit: 1 unexpected trailing byte(s) at offset 1, after field 'a'" });
  });
});

describe("Date Time", () => {
  it("decodes, keeps unknown parts as zeros, and range-checks each part", () => {
    expect(dateTimeIso(reader("dc07 0c 05 0b 32 1b").dateTime("t"))).toBe("2012-12-05T11:50:27");
    expect(dateTimeIso(reader("0000 00 00 12 1a 20").dateTime("t"))).toBe("0000-00-00T18:26:32");
    expect(errorOf(() => reader("dc07 0c 20 0b 32 1b").dateTime("t"))).toMatchObject({ field: "t.day", offset: 3, code: "decode_range" });
    expect(errorOf(() => reader("dc07 0c 05 0b").dateTime("t"))).toMatchObject({ field: "t", offset: 0, code: "decode_truncated" });
  });

  it("adds minutes across a day boundary, and refuses to when the date is unknown", () => {
    const dt = reader("e307 0c 1f 17 3b 00").dateTime("t"); // 2019-12-31 23:59:00
    expect(dateTimeIso(addMinutes(dt, 2)!)).toBe("2020-01-01T00:01:00");
    expect(addMinutes(reader("0000 00 00 17 3b 00").dateTime("t"), 2)).toBeUndefined();
  });
});

describe("helpers", () => {
  it("CRC-16/MCRF4XX matches the Nordic CGM vector (0x3F8E)", () => {
    expect(crc16Mcrf4xx(hexToBytes("0fe3d2e405000214ff02f0e5f3"))).toBe(0x3f8e);
    expect(crc16Mcrf4xx(hexToBytes("123456789".split("").map((c) => c.charCodeAt(0).toString(16)).join("")))).toBe(0x6f91); // catalogue check value
  });

  it("scaled() rounds away binary drift", () => {
    expect(scaled(15992, 0.005, 3)).toBe(79.96);
    expect(15992 * 0.005).not.toBe(79.96);
  });

  it("bitNames lists set bits that have names", () => {
    expect(bitNames(0b100101, ["a", "b", "c", undefined, "e", undefined])).toEqual(["a", "c"]);
  });

  it("medfloatJson shows specials by name", () => {
    expect(["ff07", "0008", "fe07", "0208", "0108", "00f8"].map((h) => medfloatJson(sfloatFromRaw(parseInt(h.slice(2) + h.slice(0, 2), 16))))).toEqual([
      "NaN", "NRes", "+INF", "-INF", "RFU", -204.8,
    ]);
  });
});

describe("Output", () => {
  it("special values and suppression produce no reading and say why", () => {
    const out = output().medfloat("spo2", sfloatFromRaw(0x07ff), "spo2", "%").reading("pulse_rate", "pulse_rate", 60, "/min").done();
    expect(out.readings).toEqual([{ vital: "pulse_rate", value: 60, unit: "/min" }]);
    expect(out.fields.spo2).toBe("NaN");
    expect((out.fields.no_reading as Record<string, string>).spo2).toContain("NaN");
    const off = output().reading("heart_rate", "heart_rate", 70, "/min").suppress("off body").done();
    expect(off).toEqual({ readings: [], fields: { heart_rate: 70, no_reading: { heart_rate: "off body" } } });
  });

  it("refuses a unit DESIGN §3 does not list (a driver bug, caught by the sweep)", () => {
    expect(() => output().reading("t", "body_temperature", 37, "K")).toThrow(/not a unit of body_temperature/);
  });
});
