/**
 * `vitals-gateway replay FILE --speed N [--json OUT] [--config FILE]`: a recording through the real
 * pipeline with the engine's times cut by N (src/replay/README.md). Prints the alarms raised per
 * recorded hour by kind and priority; OUT gets every alert event in recorded time.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { tmpdir } from "node:os";
import { jsonLogger } from "../adapters/log/jsonLogger.js";
import { formatProblems, loadConfigFile, loadConfigText } from "../config/load.js";
import { formatHourTable, hourTable } from "../replay/hourTable.js";
import { parseNumerics, RecordingError } from "../replay/recording.js";
import { parseFlags, UsageError, withUsage } from "./args.js";

export const USAGE = "usage: vitals-gateway replay FILE --speed N [--json OUT] [--config FILE]";

/** No --config: the shipped defaults, i.e. what a real deployment would say. */
const DEFAULTS = "logging: { level: warn }\npatients: [{ id: replay, label: Replay }]\n";

export function run(args: string[]): Promise<number> {
  return withUsage(USAGE, async () => {
    const { values, positionals } = parseFlags(args, { speed: { type: "string" }, json: { type: "string" }, config: { type: "string" } }, true);
    const [file, ...extra] = positionals;
    if (file === undefined || extra.length > 0) throw new UsageError("replay needs exactly one recording FILE");
    const speed = Number(values.speed ?? "");
    if (!Number.isFinite(speed) || speed < 1 || speed > 1000) throw new UsageError(`--speed must be a number 1..1000, got '${values.speed ?? ""}'`);
    const loaded = values.config ? loadConfigFile(values.config) : loadConfigText(DEFAULTS, tmpdir());
    if (!loaded.ok) {
      process.stderr.write(`${formatProblems(values.config ?? "defaults", loaded.problems)}\n${loaded.problems.length} problem(s); not replayed\n`);
      return 2;
    }
    let track;
    try {
      track = parseNumerics(readFileSync(file, "utf8"), basename(file));
    } catch (e) {
      if (!(e instanceof RecordingError) && (e as NodeJS.ErrnoException).code === undefined) throw e;
      process.stderr.write(`vitals-gateway replay: ${(e as Error).message}\n`);
      return 2;
    }
    const wallMinutes = track.durationMinutes / speed;
    process.stdout.write(`replaying ${track.name}: ${track.durationMinutes} recorded min at ${speed}x (~${wallMinutes.toFixed(1)} min), engine times / ${speed}\n`);
    const { runReplay } = await import("../replay/runReplay.js");
    const events = await runReplay(loaded.config, track, speed, jsonLogger(loaded.config.logging.level));
    process.stdout.write(formatHourTable(hourTable(events)));
    if (values.json) writeFileSync(values.json, `${JSON.stringify({ recording: track.name, speed, durationMinutes: track.durationMinutes, events }, null, 2)}\n`);
    return 0;
  });
}
