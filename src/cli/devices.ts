/**
 * `vitals-gateway devices seen [--data-dir DIR] [--config FILE] [--json]`: sensors the daemon heard
 * (over BLE or a Theengs / OpenMQTTGateway bridge) that no patient is assigned, from DIR/devices.db,
 * read-only: address, device id for the config, the driver that recognised it, the vitals it
 * carried, RSSI, which bridge, when. Never a value. Exit 0, 1 if the data directory has no
 * devices.db (wrong directory, or the daemon never ran), 2 usage.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readSightings, type SightingRow } from "../adapters/sqlite/sightingStore.js";
import { parseFlags, UsageError, withUsage } from "./args.js";
import { dataDirFrom } from "./dataDir.js";

const USAGE = "usage: vitals-gateway devices seen [--data-dir DIR] [--config FILE] [--json]   (default ./vitals-data)";

const COLUMNS: readonly [string, (r: SightingRow) => string][] = [
  ["ADDRESS", (r) => (/^[0-9a-f]{12}$/.test(r.deviceId) ? r.deviceId.toUpperCase().replace(/(..)(?!$)/g, "$1:") : "-")],
  ["DEVICE ID", (r) => r.deviceId],
  ["DRIVER", (r) => r.driver],
  ["LAST VALUE KIND", (r) => r.kinds],
  ["RSSI", (r) => (r.rssi === null ? "-" : String(r.rssi))],
  ["VIA", (r) => r.via],
  ["LAST HEARD", (r) => new Date(r.lastSeen).toISOString()],
];

export function run(args: string[]): Promise<number> {
  return withUsage(USAGE, () => {
    const { values, positionals } = parseFlags(args, { "data-dir": { type: "string" }, config: { type: "string" }, json: { type: "boolean" } }, true);
    if (positionals.length !== 1 || positionals[0] !== "seen") throw new UsageError("devices: expected the subcommand 'seen'");
    const dataDir = dataDirFrom(values["data-dir"], values.config);
    const file = join(dataDir, "devices.db");
    if (!existsSync(file)) {
      process.stderr.write(`devices seen: ${file} does not exist (is ${dataDir} the daemon's data directory?)\n`);
      return Promise.resolve(1);
    }
    const rows = readSightings(file);
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return Promise.resolve(0);
    }
    if (rows.length === 0) {
      process.stdout.write("no unassigned sensor heard\n");
      return Promise.resolve(0);
    }
    const table = [COLUMNS.map(([h]) => h), ...rows.map((r) => COLUMNS.map(([, cell]) => cell(r)))];
    const widths = COLUMNS.map((_, i) => Math.max(...table.map((line) => line[i]!.length)));
    for (const line of table) process.stdout.write(`${line.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()}\n`);
    process.stderr.write("assign one in the config: devices: [{ id: <DEVICE ID>, patient: <patient id> }] (then SIGHUP or restart)\n");
    return Promise.resolve(0);
  });
}
