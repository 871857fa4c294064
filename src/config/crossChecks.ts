/**
 * The checks a JSON Schema cannot make, each owner's included (alerting's limits, BLE's duplicate
 * addresses, upstream's URL and credential pairs, every secret file's readability), run in the
 * loader's one validation pass so that nothing is applied while anything is wrong.
 *
 * Each check looks only at parts the schema accepted (typed by the schema's own validators), so it
 * never repeats or trips over what the schema already refused, and a malformed part elsewhere
 * does not hide its findings.
 */
import { accessSync, constants, readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { checkAlertingConfig } from "../core/alerting/configSchema.js";
import { GATEWAY_ID } from "../core/gateway.js";
import { GATEWAY_SCHEMA } from "./gatewaySchema.js";
import type { GatewayConfig } from "./types.js";

type Add = (path: string, message: string) => void;
/** Why a secret file cannot be used, or undefined if it can. Injected by tests. */
export type SecretFileProbe = (path: string, kind: "password" | "pem") => string | undefined;

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const P = GATEWAY_SCHEMA.properties;
const is = <T>(schema: object) => {
  const validate = ajv.compile<T>(schema);
  return (x: unknown): x is T => validate(x);
};
const isPatient = is<GatewayConfig["patients"][number]>(P.patients.items);
const isDevice = is<GatewayConfig["devices"][number]>(P.devices.items);
const isBleDevice = is<GatewayConfig["ble"]["devices"][number]>(P.ble.properties.devices.items);
const isMqtt = is<GatewayConfig["mqtt"]>(P.mqtt);
const isDemo = is<GatewayConfig["demo"]>(P.demo);
const isAlerting = is<GatewayConfig["alerting"]>(P.alerting);
const isUpstream = is<NonNullable<GatewayConfig["upstream"]>>(P.upstream);

/**
 * The patient id of the gateway's own conditions (no nurse console, model unavailable, upstream
 * link, storage full): core/gateway.ts GATEWAY_ID. A patient with this id would share their alarms.
 */
export const RESERVED_PATIENT_ID = GATEWAY_ID;

export function crossChecks(data: Record<string, unknown>, add: Add, probe: SecretFileProbe = readableSecret): void {
  idChecks(data, add);
  if (isAlerting(data["alerting"])) for (const p of checkAlertingConfig(data["alerting"])) add(`/alerting${p.path}`, p.message);
  const ble = data["ble"];
  if (ble !== null && typeof ble === "object" && "devices" in ble) bleChecks(ble.devices, add);
  if (isMqtt(data["mqtt"]) && isDemo(data["demo"])) mqttChecks(data["mqtt"], data["demo"], add);
  if (isUpstream(data["upstream"])) upstreamChecks(data["upstream"], add);
  secretFileChecks(data, add, probe);
}

const items = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

function idChecks(data: Record<string, unknown>, add: Add): void {
  const patientIds = new Set<string>();
  items(data["patients"]).forEach((p, i) => {
    if (!isPatient(p)) return;
    if (p.id === RESERVED_PATIENT_ID) add(`/patients/${i}/id`, `'${p.id}' is reserved for the gateway's own technical alarms`);
    if (patientIds.has(p.id)) add(`/patients/${i}/id`, `duplicate patient id '${p.id}'`);
    patientIds.add(p.id);
  });
  const deviceIds = new Set<string>();
  items(data["devices"]).forEach((d, i) => {
    if (!isDevice(d)) return;
    if (deviceIds.has(d.id)) add(`/devices/${i}/id`, `duplicate device id '${d.id}'`);
    deviceIds.add(d.id);
    if (!patientIds.has(d.patient)) add(`/devices/${i}/patient`, `names patient '${d.patient}', which is not in /patients`);
  });
}

function bleChecks(devices: unknown, add: Add): void {
  const seen = new Set<string>();
  items(devices).forEach((d, i) => {
    if (!isBleDevice(d)) return;
    // Addresses compare case-insensitively: BlueZ reports upper case, people type either.
    if (seen.has(d.address.toUpperCase())) add(`/ble/devices/${i}/address`, `${d.address} is listed twice`);
    seen.add(d.address.toUpperCase());
    if (d.mode === "advertisement" && d.characteristics !== undefined) add(`/ble/devices/${i}/characteristics`, "characteristics apply to mode gatt only");
  });
}

function mqttChecks(m: GatewayConfig["mqtt"], demo: GatewayConfig["demo"], add: Add): void {
  if (m.passwordFile !== undefined && m.url === undefined) add("/mqtt/passwordFile", "only applies with an external broker (`url`)");
  if ((m.embeddedUsername === undefined) !== (m.embeddedPasswordFile === undefined)) {
    add(m.embeddedUsername === undefined ? "/mqtt/embeddedUsername" : "/mqtt/embeddedPasswordFile", "embeddedUsername and embeddedPasswordFile go together");
  }
  if (demo.enabled && m.embeddedUsername !== undefined) add("/demo/enabled", "the demo replay publishes without a login; it cannot run with embeddedUsername set");
  // Without credentials the embedded broker takes anonymous clients: anyone who could reach it could inject readings.
  const loopback = ["127.0.0.1", "::1", "localhost"].includes(m.embeddedHost);
  if (m.url === undefined && !loopback && m.embeddedUsername === undefined) {
    add("/mqtt/embeddedHost", "an embedded broker beyond loopback needs embeddedUsername and embeddedPasswordFile (or set `url` to a broker with credentials)");
  }
  // The broker URL is logged and printed at start: a password in it would end up in the journal.
  if (m.url !== undefined && URL.canParse(m.url) && new URL(m.url).username + new URL(m.url).password !== "") {
    add("/mqtt/url", "credentials in the URL are not allowed; use username and passwordFile");
  }
}

/** What src/adapters/upstream/config.ts resolveUpstream would refuse at start, refused here instead. */
function upstreamChecks(u: NonNullable<GatewayConfig["upstream"]>, add: Add): void {
  if (!URL.canParse(u.url) || new URL(u.url).hostname === "") add("/upstream/url", `'${u.url}' is not a URL with a host (expected mqtt://host:port or mqtts://host:port)`);
  if (u.passwordFile !== undefined && u.username === undefined) add("/upstream/username", "required with passwordFile");
  // Half a client certificate would fail every TLS handshake while the outbox fills.
  if ((u.certFile === undefined) !== (u.keyFile === undefined)) add(u.certFile === undefined ? "/upstream/certFile" : "/upstream/keyFile", "certFile and keyFile go together");
}

const SECRET_FILES = [
  ["mqtt", "passwordFile", "password"],
  ["mqtt", "embeddedPasswordFile", "password"],
  ["upstream", "passwordFile", "password"],
  ["upstream", "caFile", "pem"],
  ["upstream", "certFile", "pem"],
  ["upstream", "keyFile", "pem"],
] as const;

function secretFileChecks(data: Record<string, unknown>, add: Add, probe: SecretFileProbe): void {
  for (const [section, key, kind] of SECRET_FILES) {
    const block = data[section];
    const path: unknown = block !== null && typeof block === "object" ? Reflect.get(block, key) : undefined;
    if (typeof path !== "string" || path === "") continue;
    const why = probe(path, kind);
    if (why !== undefined) add(`/${section}/${key}`, `cannot read ${path} as this user (${why})`);
  }
}

/** For `--print-config`, run by an administrator who may not be allowed to read the service's credentials. */
export const SKIP_SECRET_FILES: SecretFileProbe = () => undefined;

/** The real probe: the file exists and is readable by this user; a password file is not empty. */
export function readableSecret(path: string, kind: "password" | "pem"): string | undefined {
  try {
    accessSync(path, constants.R_OK);
    if (kind === "password" && readFileSync(path, "utf8").trim() === "") return "empty";
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? "error";
  }
}
