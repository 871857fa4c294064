import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cpuMicros, memoryMiB } from "../../src/bench/procStat.js";

describe("procStat (what the side-by-side bench reads of a child)", () => {
  it("counts the CPU a busy child burns and reports its peak RSS", async () => {
    // A child that burns 300 ms of its own CPU time (however busy the machine), says so, then waits.
    const burn = "const t=process.cpuUsage(); while (process.cpuUsage(t).user < 300000); console.log('done'); setTimeout(()=>{}, 30000)";
    const child = spawn(process.execPath, ["-e", burn], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      const pid = child.pid as number;
      expect(cpuMicros(pid)).toBeGreaterThanOrEqual(290_000); // /proc ticks are 10 ms
      expect(memoryMiB(pid, "VmHWM")).toBeGreaterThan(10);
      expect(memoryMiB(pid, "VmHWM")).toBeGreaterThanOrEqual(memoryMiB(pid, "VmRSS"));
    } finally {
      child.kill();
    }
  });
});
