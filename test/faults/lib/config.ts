/**
 * The config each scenario runs the gateway with. Product defaults everywhere that a promise is
 * measured (technical-alarm grace, clearing), except where noted: physiological alarms raise at
 * once so each kill round can make, show and acknowledge one alert in a few seconds.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The gateway's own patient id (conditions about itself). */
export const GATEWAY_PATIENT = "_gateway";
/** The device whose steady stream of readings is counted for loss and duplicates. */
export const FLOW_DEVICE = "flow1";
/** The flow's own patient: its normal heart rates must not mask a trigger's alarm on another bed. */
export const FLOW_PATIENT = "pflow";
export const triggerDevice = (i: number): string => `trig${i}`;
export const patientOf = (i: number): string => `p${i}`;

export interface ConfigOptions {
  readonly dataDir: string;
  readonly httpPort: number;
  readonly mqttUrl: string;
  /** One patient and one trigger device per alert the scenario will raise. */
  readonly patients: number;
  /** Extra top-level YAML (e.g. `ble: {…}`, `auth: {…}`). */
  readonly extra?: string;
  /** More device lines (YAML flow maps), e.g. a BLE strap of p0. */
  readonly extraDevices?: readonly string[];
  /** Replaces the alerting persistence block (e.g. technical timings of 0 for the security checks). */
  readonly technicalMs?: { raise: number; clear: number };
}

export function writeConfig(o: ConfigOptions): string {
  const patients = Array.from({ length: o.patients }, (_, i) => `  - { id: ${patientOf(i)}, label: Bed ${i} }`).join("\n");
  const devices = Array.from({ length: o.patients }, (_, i) => `  - { id: ${triggerDevice(i)}, patient: ${patientOf(i)} }`).join("\n");
  const technical = o.technicalMs ? `, technicalRaiseMs: ${o.technicalMs.raise}, technicalClearMs: ${o.technicalMs.clear}` : "";
  const yaml = `dataDir: ${o.dataDir}
http: { host: 127.0.0.1, port: ${o.httpPort} }
mqtt: { url: "${o.mqttUrl}" }
logging: { level: info }
patients:
  - { id: ${FLOW_PATIENT}, label: Flow bed }
${patients}
devices:
  - { id: ${FLOW_DEVICE}, patient: ${FLOW_PATIENT} }
${devices}
${(o.extraDevices ?? []).map((d) => `  - ${d}`).join("\n")}
alerting:
  thresholds: { heart_rate: { low: 30, high: 130 } }
  priorities: { threshold: high }
  persistence: { raiseMs: { high: 0, medium: 0, low: 0 }, clearMs: 0${technical} }
${o.extra ?? ""}
`;
  const file = join(mkdtempSync(join(tmpdir(), "vg-faults-conf-")), "gateway.yaml");
  writeFileSync(file, yaml);
  return file;
}
