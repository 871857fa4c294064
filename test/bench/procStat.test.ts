import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cpuMicros, memoryMiB } from "../../src/bench/procStat.js";

describe("procStat (what the side-by-side bench reads of a child)", () => {
  it("counts the CPU a busy child burns and reports its peak RSS", async () => {
    // A child that spins for ~300 ms of CPU, then waits to be read.
    const child = spawn(process.execPath, ["-e", "const t=Date.now(); while (Date.now()-t<300); setTimeout(()=>{}, 10000)"]);
    try {
      const pid = child.pid as number;
      await new Promise((r) => setTimeout(r, 600));
      expect(cpuMicros(pid)).toBeGreaterThan(150_000);
      expect(memoryMiB(pid, "VmHWM")).toBeGreaterThan(10);
      expect(memoryMiB(pid, "VmHWM")).toBeGreaterThanOrEqual(memoryMiB(pid, "VmRSS"));
    } finally {
      child.kill();
    }
  });
});
