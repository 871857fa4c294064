/**
 * A MIMIC-II numerics CSV (`minute, HR, PULSE, RESP, SpO2, NBPSys…`, one row per minute, as in
 * shared/data and test/fixtures/mimic2) as the MQTT messages a strap and a monitor would send —
 * the demo's form (src/demo/recordings.ts): HR as GATT 0x2A37 bytes, the rest as JSON readings.
 * Values go as recorded, artifacts included (the gateway's quality gates must meet them); an
 * empty cell is "not measured" and is not sent; a cuff value of 0 means no cycle.
 */
import { heartRateFrame, type ReplayMessage, type Track } from "../demo/recordings.js";

export class RecordingError extends Error {}

const MONITOR_COLUMNS = [
  { column: "RESP", vital: "respiratory_rate", unit: "/min", skipZero: false },
  { column: "SpO2", vital: "spo2", unit: "%", skipZero: false },
  { column: "PULSE", vital: "pulse_rate", unit: "/min", skipZero: false },
  { column: "NBPSys", vital: "systolic_bp", unit: "mm[Hg]", skipZero: true },
  // The rest of the cuff reading, in the same message: the cuff-sanity gate judges the three together.
  { column: "NBPDias", vital: "diastolic_bp", unit: "mm[Hg]", skipZero: true },
  { column: "NBPMean", vital: "mean_arterial_pressure", unit: "mm[Hg]", skipZero: true },
] as const;

export const REPLAY_STRAP = "replay-hr-strap";
export const REPLAY_MONITOR = "replay-monitor";

function cell(raw: string | undefined, where: string): number | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new RecordingError(`${where}: '${raw}' is not a number`);
  return n;
}

/** `name` names the file in errors; throws RecordingError naming the line and column. */
export function parseNumerics(text: string, name: string): Track {
  const [header = "", ...lines] = text.trim().split(/\r?\n/);
  const cols = header.split(",").map((c) => c.trim());
  if (!cols.includes("minute")) throw new RecordingError(`${name}:1: no 'minute' column (MIMIC-II numerics CSV form: minute,HR,PULSE,RESP,SpO2,NBPSys)`);
  if (!["HR", ...MONITOR_COLUMNS.map((c) => c.column)].some((c) => cols.includes(c))) throw new RecordingError(`${name}:1: none of the columns HR, PULSE, RESP, SpO2, NBPSys`);
  const messages: ReplayMessage[] = [];
  let first: number | undefined;
  let last = 0;
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const values = line.split(",");
    const at = (column: string) => cell(values[cols.indexOf(column)], `${name}:${i + 2}: column ${column}`);
    const minute = at("minute");
    if (minute === undefined) throw new RecordingError(`${name}:${i + 2}: column minute is empty`);
    if (minute < last) throw new RecordingError(`${name}:${i + 2}: minute ${minute} goes back in time`);
    first ??= minute;
    last = minute;
    const atMinute = minute - first;
    const hr = cols.includes("HR") ? at("HR") : undefined;
    if (hr !== undefined && (hr < 0 || hr > 0xffff)) throw new RecordingError(`${name}:${i + 2}: column HR: ${hr} cannot be sent as a GATT heart rate`);
    if (hr !== undefined) messages.push({ atMinute, topic: `${REPLAY_STRAP}/gatt/2a37`, payload: heartRateFrame(hr) });
    const readings = MONITOR_COLUMNS.flatMap(({ column, vital, unit, skipZero }) => {
      const value = cols.includes(column) ? at(column) : undefined;
      return value === undefined || (skipZero && value === 0) ? [] : [{ vital, value, unit }];
    });
    if (readings.length > 0) messages.push({ atMinute, topic: `${REPLAY_MONITOR}/json`, payload: Buffer.from(JSON.stringify(readings)) });
  });
  if (first === undefined) throw new RecordingError(`${name}: no rows`);
  return { name, durationMinutes: last - first + 1, messages };
}
