/**
 * `npm run new-driver -- <vendor>/<model> (--gatt 2a37 | --service-data 181d | --manufacturer-id 0x006b) [--dir devices]`
 * scaffolds devices/<vendor>/<model>.ts with a wire-contract comment to fill in and a vector that fails
 * until the decoder is written, then regenerates devices/index.ts. See devices/README.md.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { DEFAULT_DEVICES_DIR, writeIndex } from "./gen-device-index.js";

export interface Scaffold {
  readonly devicesDir: string;
  /** `<vendor>/<model>`, e.g. `acme/pulse-ox`. */
  readonly spec: string;
  readonly match: { gatt: string } | { serviceData: string } | { manufacturerId: number };
}

const camel = (s: string): string => s.replace(/[-_]+([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

export function parseSpec(spec: string): { vendor: string; model: string; file: string; id: string } {
  const m = /^([a-z0-9][a-z0-9-]*)\/([a-zA-Z][a-zA-Z0-9-]*)$/.exec(spec);
  if (!m) throw new Error(`'${spec}' is not <vendor>/<model> (lowercase vendor, letters/digits/dashes)`);
  const [, vendor, model] = m as unknown as [string, string, string];
  const kebab = model.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
  return { vendor, model, file: `${vendor}/${camel(model)}.ts`, id: `${vendor}.${kebab}` };
}

function matchSource(match: Scaffold["match"]): string {
  if ("gatt" in match) return `{ gatt: "${match.gatt}" }`;
  if ("serviceData" in match) return `{ serviceData: "${match.serviceData}" }`;
  return `{ manufacturerId: 0x${match.manufacturerId.toString(16).padStart(4, "0")} }`;
}

export function driverTemplate(spec: string, match: Scaffold["match"]): string {
  const { vendor, model, id } = parseSpec(spec);
  const adv = "manufacturerId" in match ? "\n//   bytes 0-1   company id, little-endian (the frame starts with it, as Theengs/OpenMQTTGateway publish it)" : "";
  return `import { defineDriver, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";

// Wire contract: ${vendor} ${model} — TODO cite the document or capture this layout comes from.${adv}
//   byte N      TODO field name, type (u8/u16le/SFLOAT/...), unit, when present (flag bit)
export const driver = defineDriver({
  id: "${id}",
  name: "${vendor} ${model}",
  match: ${matchSource(match)},
  decode(r) {
    const out = output();
    // TODO read each field in wire order; every read names its field so a short frame says where, e.g.
    //   const hr = r.u8("heart_rate");
    //   out.reading("heart_rate", "heart_rate", hr, "/min");
    r.skip(r.remaining, "payload");
    r.end();
    return out.done();
  },
});

// TODO replace with a real captured frame and what it must decode to. This vector fails until decode() is written.
export const vectors: DriverVector[] = [
  { name: "TODO captured frame", hex: "${"manufacturerId" in match ? `${(match.manufacturerId & 0xff).toString(16).padStart(2, "0")}${(match.manufacturerId >> 8).toString(16).padStart(2, "0")} ` : ""}00 48", expect: { readings: [{ vital: "heart_rate", value: 72, unit: "/min" }] } },
];

// Frames that must be refused, with a word the error must contain (field name or offset).
export const mustFail: MustFailVector[] = [{ name: "empty frame", hex: "", error: "needs" }];
`;
}

export function scaffoldDriver(s: Scaffold): { path: string; indexPath: string } {
  const { file } = parseSpec(s.spec);
  const path = join(s.devicesDir, file);
  if (existsSync(path)) throw new Error(`${path} already exists`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, driverTemplate(s.spec, s.match));
  return { path, indexPath: writeIndex(s.devicesDir) };
}

function companyId(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new Error(`'${v}' is not a 16-bit company id`);
  return n;
}

/**
 * What the driver answers to: exactly one of the three, never a guess. An advertisement driver
 * scaffolded under a made-up company id would match nothing a real device sends (or, worse, a
 * different vendor's device), so a missing id is refused with where to find the real one.
 */
export function matchFrom(values: { gatt?: string; "service-data"?: string; "manufacturer-id"?: string }, uuid: (v: string) => string): Scaffold["match"] {
  const given = (["gatt", "service-data", "manufacturer-id"] as const).filter((k) => values[k] !== undefined);
  if (given.length > 1) throw new Error(`give one of --gatt, --service-data, --manufacturer-id (got ${given.map((k) => `--${k}`).join(" and ")})`);
  if (values.gatt !== undefined) return { gatt: uuid(values.gatt) };
  if (values["service-data"] !== undefined) return { serviceData: uuid(values["service-data"]) };
  if (values["manufacturer-id"] !== undefined) return { manufacturerId: companyId(values["manufacturer-id"]) };
  throw new Error(
    "what does the device send? --gatt <uuid16> for a GATT characteristic, --service-data <uuid16> for advertisement service data, " +
      "or --manufacturer-id <0xNNNN> for advertisement manufacturer data: the company id is the first two bytes of the manufacturer data, " +
      "little-endian (6b 00 … = 0x006b), also listed in the Bluetooth SIG's Assigned Numbers (company identifiers). Not guessed: a wrong id matches nothing, or another vendor's device.",
  );
}

function cli(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { gatt: { type: "string" }, "service-data": { type: "string" }, "manufacturer-id": { type: "string" }, dir: { type: "string" } },
  });
  const spec = positionals[0];
  if (!spec || positionals.length !== 1) {
    process.stderr.write("usage: npm run new-driver -- <vendor>/<model> (--gatt 2a37 | --service-data 181d | --manufacturer-id 0x006b)\n");
    return 2;
  }
  const uuid = (v: string): string => {
    const u = v.toLowerCase().replace(/^0x/, "");
    if (!/^[0-9a-f]{4}$/.test(u)) throw new Error(`'${v}' is not a 16-bit UUID`);
    return u;
  };
  const match = matchFrom(values, uuid);
  const { path, indexPath } = scaffoldDriver({ devicesDir: resolve(values.dir ?? DEFAULT_DEVICES_DIR), spec, match });
  const source = "gatt" in match ? match.gatt : "serviceData" in match ? `adv:service_data:${match.serviceData}` : "adv:manufacturer_data";
  process.stdout.write(
    `created ${path}\nupdated ${indexPath}\nnext: fill in the wire contract and decode(), then run\n  npx vitest run test/devices\n  npm run decode -- ${source} <hex of a captured frame>   (runs from source: no build step)\n`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    process.exitCode = cli(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`new-driver: ${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}
