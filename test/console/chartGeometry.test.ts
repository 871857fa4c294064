import { describe, expect, it } from "vitest";
import { bandPath, linePath, ticks, valueRange } from "../../src/console/chartGeometry.js";

const frame = { since: 0, until: 100, width: 100, height: 10, lo: 0, hi: 10 };

describe("chart geometry", () => {
  it("maps time to x and value to y (up is higher)", () => {
    expect(linePath([{ t: 0, v: 0 }, { t: 50, v: 10 }, { t: 100, v: 5 }], frame, 60)).toBe("M0 10 L50 0 L100 5");
  });

  it("breaks the line over a gap instead of drawing an invented trend", () => {
    expect(linePath([{ t: 0, v: 1 }, { t: 10, v: 1 }, { t: 90, v: 1 }], frame, 20)).toBe("M0 9 L10 9 M90 9 h0"); // the lone point is a dot
  });

  it("leaves out points outside the frame", () => {
    expect(linePath([{ t: -10, v: 1 }, { t: 10, v: 1 }], frame, 50)).toBe("M10 9 h0");
  });

  it("draws a closed min–max band per unbroken run", () => {
    const d = bandPath([{ t: 0, min: 2, max: 4 }, { t: 10, min: 3, max: 5 }, { t: 80, min: 1, max: 9 }], frame, 20);
    expect(d).toBe("M0 6 L10 5 L10 7 L0 8 Z M80 1 L80 9 Z");
  });

  it("never has an empty value range, and puts round ticks inside it", () => {
    expect(valueRange([5, 5])).toEqual({ lo: 4, hi: 6 });
    expect(ticks(0, 100)).toEqual([0, 50, 100]);
    expect(ticks(35.2, 39.1)).toEqual([36, 37, 38, 39]);
  });
});
