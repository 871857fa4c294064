/**
 * `vitals-gateway replay` as a process on the real pipeline: the first 10 minutes of the noisy
 * MIMIC-II record s25047 at 100x. Its first two minutes read SpO2 0 and pulse 0 (probe not yet
 * on): the gateway must call that a technical condition, and the events must carry recorded
 * times (minutes into the recording), not wall-clock times.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packagePath } from "../../src/packageRoot.js";
import type { RecordedAlertEvent } from "../../src/replay/hourTable.js";
import { runCli } from "../helpers/cli.js";

const MINUTE = 60_000;

describe("vitals-gateway replay", () => {
  it("replays an excerpt through the real gateway and writes alert events in recorded time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vg-replay-"));
    const csv = readFileSync(packagePath("test", "fixtures", "mimic2", "s25047_numerics_1min.csv"), "utf8").split("\n");
    const excerpt = join(dir, "s25047_first10.csv");
    writeFileSync(excerpt, `${csv.slice(0, 11).join("\n")}\n`);
    const out = join(dir, "events.json");

    const r = await runCli(["replay", excerpt, "--speed", "100", "--json", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/10 recorded min at 100x/);
    expect(r.stdout).toMatch(/^ +0 +technical +low +\d+$/m);

    const { events, durationMinutes } = JSON.parse(readFileSync(out, "utf8")) as { events: RecordedAlertEvent[]; durationMinutes: number };
    expect(durationMinutes).toBe(10);
    const raise = events.find((e) => e.event === "raise" && e.cause === "technical:spo2:artifact");
    expect(raise, JSON.stringify(events.map((e) => [e.event, e.cause]))).toBeDefined();
    expect(raise?.kind).toBe("technical");
    // SpO2 0 from minute 0, raised after the technical persistence (30 s live): within the first minutes.
    expect(raise?.recordedMs).toBeGreaterThan(0);
    expect(raise?.recordedMs).toBeLessThan(4 * MINUTE);
    for (const e of events) {
      expect(e.recordedMs).toBeGreaterThan(-MINUTE); // recorded time, never epoch ms
      expect(e.recordedMs).toBeLessThan(12 * MINUTE);
      for (const input of e.inputs) expect(input.recordedMs).toBeLessThanOrEqual(e.recordedMs + MINUTE);
    }
    expect(raise?.inputs.some((i) => i.vital === "spo2" && i.value === 0)).toBe(true);
  }, 240_000);

  it("refuses a bad recording before starting anything, naming the file and line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vg-replay-"));
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "minute,HR,SpO2\n0,80,97\n1,80,n/a\n");
    const r = await runCli(["replay", bad, "--speed", "10"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad.csv:3: column SpO2: 'n/a' is not a number");
    const noSpeed = await runCli(["replay", bad]);
    expect(noSpeed.code).toBe(2);
    expect(noSpeed.stderr).toMatch(/--speed must be a number/);
  }, 120_000);
});
