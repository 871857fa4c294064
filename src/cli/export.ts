/**
 * `vitals-gateway export fhir [--patient ID] [--since T] [--until T] [--data-dir DIR]
 * [--config FILE] [--out FILE] [--gateway-id ID]`: a FHIR R4 transaction Bundle (HL7 PHD IG) of
 * the readings and alerts in the window, on stdout or into FILE (0600: it is health data).
 * Read-only on the databases, so it runs beside the daemon. A summary goes to stderr.
 */
import { writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { GATEWAY_ID } from "../core/gateway.js";
import { StorageError } from "../adapters/sqlite/storageError.js";
import { fhirBundle } from "../export/fhir/bundle.js";
import { readExportData } from "../export/fhir/readStores.js";
import { parseFlags, UsageError, withUsage } from "./args.js";
import { dataDirFrom } from "./dataDir.js";

export const USAGE = "usage: vitals-gateway export fhir [--patient ID] [--since T] [--until T] [--data-dir DIR] [--config FILE] [--out FILE] [--gateway-id ID]\n  T: ISO 8601 (2026-11-29T08:00:00Z) or epoch ms; default: everything";

export function run(args: string[]): Promise<number> {
  return withUsage(USAGE, () => {
    const { values, positionals } = parseFlags(
      args,
      { patient: { type: "string" }, since: { type: "string" }, until: { type: "string" }, "data-dir": { type: "string" }, config: { type: "string" }, out: { type: "string" }, "gateway-id": { type: "string" } },
      true,
    );
    if (positionals.length !== 1 || positionals[0] !== "fhir") throw new UsageError("export: expected the format 'fhir'");
    const since = timeOf(values.since, "--since", Number.MIN_SAFE_INTEGER);
    const until = timeOf(values.until, "--until", Number.MAX_SAFE_INTEGER);
    if (since >= until) throw new UsageError("--since must be before --until");
    const dataDir = dataDirFrom(values["data-dir"], values.config);
    let data;
    try {
      data = readExportData(dataDir, { since, until, ...(values.patient === undefined ? {} : { patientId: values.patient }) });
    } catch (e) {
      if (!(e instanceof StorageError)) throw e;
      process.stderr.write(`vitals-gateway export: ${e.message}\n`);
      return Promise.resolve(1);
    }
    const { bundle, skipped } = fhirBundle({ gatewayId: values["gateway-id"] ?? hostname(), gatewayPatientId: GATEWAY_ID, ...data });
    const text = `${JSON.stringify(bundle, null, 1)}\n`;
    if (values.out === undefined) process.stdout.write(text);
    else writeFileSync(values.out, text, { mode: 0o600 });
    const counts = new Map<string, number>();
    for (const e of bundle.entry ?? []) counts.set(e.resource!.resourceType, (counts.get(e.resource!.resourceType) ?? 0) + 1);
    const skippedText = Object.entries(skipped).map(([v, n]) => `${v} ${n}`).join(", ");
    process.stderr.write(`export fhir: ${[...counts].map(([t, n]) => `${n} ${t}`).join(", ") || "nothing in the window"}${skippedText ? `; not exported (no LOINC code): ${skippedText}` : ""}\n`);
    return Promise.resolve(0);
  });
}

function timeOf(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const t = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(t)) throw new UsageError(`${flag}: '${text}' is neither ISO 8601 nor epoch ms`);
  return t;
}
