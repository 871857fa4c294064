/**
 * The bundled recordings (data/demo/README.md) as MQTT messages a real device or bridge would
 * send: heart rate as GATT 0x2A37 bytes from a strap, everything else as JSON readings from a
 * monitor. Values are sent as recorded, artifacts included; "not measured" is not sent.
 */
import { readFileSync } from "node:fs";
import { packagePath } from "../packageRoot.js";

export interface ReplayMessage {
  /** Minutes since the start of the recording. */
  readonly atMinute: number;
  /** Topic below the prefix, e.g. `demo-hr-strap-1/gatt/2a37`. */
  readonly topic: string;
  readonly payload: Buffer;
}

export interface Track {
  readonly name: string;
  readonly durationMinutes: number;
  readonly messages: readonly ReplayMessage[];
}

type Row = Record<string, string>;
type VitalColumn = { column: string; vital: string; unit: string; skipZero?: boolean };

/** GATT 0x2A37: flags bit0 = 0 → HR is uint8; bit0 = 1 → uint16 (we send whole bpm). */
export function heartRateFrame(bpm: number): Buffer {
  const v = Math.round(bpm);
  return v <= 0xff ? Buffer.from([0x00, v]) : Buffer.from([0x01, v & 0xff, v >> 8]);
}

function readCsv(file: string): Row[] {
  const [header, ...lines] = readFileSync(packagePath("data", "demo", file), "utf8").trim().split(/\r?\n/);
  const cols = (header ?? "").split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i] ?? "", v])));
}

function rowMessages(row: Row, minute: number, strap: string, monitor: string, hrColumn: string, columns: readonly VitalColumn[]): ReplayMessage[] {
  const out: ReplayMessage[] = [];
  const hr = row[hrColumn];
  if (hr !== undefined && hr !== "") out.push({ atMinute: minute, topic: `${strap}/gatt/2a37`, payload: heartRateFrame(Number(hr)) });
  const readings = columns.flatMap(({ column, vital, unit, skipZero }) => {
    const raw = row[column];
    if (raw === undefined || raw === "" || (skipZero && Number(raw) === 0)) return [];
    return [{ vital, value: Number(raw), unit }];
  });
  if (readings.length > 0) out.push({ atMinute: minute, topic: `${monitor}/json`, payload: Buffer.from(JSON.stringify(readings)) });
  return out;
}

export function mimicTrack(): Track {
  const rows = readCsv("mimic2_s00001_numerics_1min.csv");
  const columns: VitalColumn[] = [
    { column: "RESP", vital: "respiratory_rate", unit: "/min" },
    { column: "SpO2", vital: "spo2", unit: "%" },
    { column: "PULSE", vital: "pulse_rate", unit: "/min" },
    { column: "NBPSys", vital: "systolic_bp", unit: "mm[Hg]", skipZero: true }, // cuff: 0 = no cycle
  ];
  const messages = rows.flatMap((r) => rowMessages(r, Number(r["minute"]), "demo-hr-strap-1", "demo-monitor-1", "HR", columns));
  return { name: "MIMIC-II s00001", durationMinutes: rows.length, messages };
}

export function physionetTracks(): Track[] {
  const rows = readCsv("physionet2012_demo_stays.csv");
  const ids = [...new Set(rows.map((r) => r["RecordID"] ?? ""))];
  const columns: VitalColumn[] = [
    { column: "RespRate", vital: "respiratory_rate", unit: "/min" },
    { column: "NISysABP", vital: "systolic_bp", unit: "mm[Hg]" },
    { column: "SysABP", vital: "systolic_bp", unit: "mm[Hg]" },
    { column: "Temp", vital: "body_temperature", unit: "Cel" },
  ];
  return ids.map((id, i) => {
    const stay = rows.filter((r) => r["RecordID"] === id);
    const n = i + 2;
    const messages = stay.flatMap((r) => rowMessages(r, Number(r["minute"]), `demo-hr-strap-${n}`, `demo-monitor-${n}`, "HR", columns));
    return { name: `PhysioNet 2012 stay ${id}`, durationMinutes: 2880, messages };
  });
}
