/** The soak bench's arithmetic and the heap-snapshot comparison it relies on to find what grows. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { groupHeap } from "../../src/bench/heapDiff.js";
import { slope } from "../../src/bench/soak.js";

describe("soak slope", () => {
  it("is the least-squares growth per minute, and 0 when flat or with one sample", () => {
    const at = (minute: number, rssMiB: number) => ({ minute, rssMiB, heapMiB: 0 });
    expect(slope([at(10, 100), at(20, 105), at(30, 110)], (s) => s.rssMiB)).toBeCloseTo(0.5);
    expect(slope([at(10, 100), at(20, 100)], (s) => s.rssMiB)).toBe(0);
    expect(slope([at(10, 100)], (s) => s.rssMiB)).toBe(0);
  });
});

describe("heapDiff.groupHeap", () => {
  it("counts a class's instances in a real V8 heap snapshot, and groups strings without their content", () => {
    const dir = mkdtempSync(join(tmpdir(), "vg-heap-"));
    const program = "class LeakyThing { constructor(i) { this.i = i; } } globalThis.kept = Array.from({ length: 1234 }, (_, i) => new LeakyThing(i)); globalThis.s = 'secret-' + Math.random(); require('v8').writeHeapSnapshot()";
    execFileSync(process.execPath, ["-e", program], { cwd: dir });
    const file = readdirSync(dir).find((f) => f.endsWith(".heapsnapshot"));
    const groups = groupHeap(join(dir, file as string));
    expect(groups.get("object:LeakyThing")?.count).toBe(1234);
    expect([...groups.keys()].some((k) => k.includes("secret-"))).toBe(false);
    expect(groups.get("string")?.count).toBeGreaterThan(0);
  });
});
