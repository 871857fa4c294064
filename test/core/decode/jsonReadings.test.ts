import { describe, expect, it } from "vitest";
import { DecodeError } from "../../../src/core/errors.js";
import { decodeJsonReadings } from "../../../src/core/decode/jsonReadings.js";

const bytes = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));
const errorOf = (v: unknown): DecodeError => {
  try {
    decodeJsonReadings(bytes(v));
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error("expected a DecodeError");
};

describe("JSON readings", () => {
  it("reads one reading or an array, with optional ms or ISO time", () => {
    expect(decodeJsonReadings(bytes({ vital: "spo2", value: 97, unit: "%" }))).toEqual([{ vital: "spo2", value: 97, unit: "%" }]);
    expect(decodeJsonReadings(bytes([{ vital: "heart_rate", value: 72, unit: "/min", time: "2026-11-25T10:00:00Z" }]))).toEqual([
      { vital: "heart_rate", value: 72, unit: "/min", time: Date.parse("2026-11-25T10:00:00Z") },
    ]);
  });

  it("names the field and the array index of what is wrong", () => {
    expect(errorOf([{ vital: "spo2", value: 97, unit: "%" }, { vital: "spo2", value: "97", unit: "%" }]).message).toBe("json: [1].value must be a finite number");
    expect(errorOf({ vital: "spo2", value: 97, unit: "mm[Hg]" }).field).toBe("unit");
    expect(errorOf("{not json").code).toBe("decode_malformed");
    expect(errorOf([]).message).toBe("json: empty array");
  });

  it("quotes a client's text in errors only up to 40 characters (errors are logged)", () => {
    const message = errorOf({ vital: "x".repeat(10_000), value: 1, unit: "%" }).message;
    expect(message.length).toBeLessThan(120);
    expect(message).toContain(`"${"x".repeat(39)}…`);
  });
});
