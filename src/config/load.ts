/**
 * Loads a YAML config, validates all of it against config/gateway.schema.json and checks what a
 * schema cannot (devices naming unknown patients, duplicate ids). Every problem is listed at
 * once, with its path and line; if there is any, nothing is returned, so nothing is applied.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { validateBleDevices } from "../adapters/ble/bleSource.js";
import { checkAlertingConfig } from "../core/alerting/configSchema.js";
import { GATEWAY_ID } from "../core/gateway.js";
import { packagePath } from "../packageRoot.js";
import type { ConfigProblem, GatewayConfig } from "./types.js";
import { closestKey, siblingKeys } from "./didYouMean.js";

export const SCHEMA_PATH = packagePath("config", "gateway.schema.json");
const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as object;
const validate = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true }).compile(schema);

/**
 * The patient id of the gateway's own conditions (no nurse console, model unavailable, upstream
 * link, storage full): core/gateway.ts GATEWAY_ID. A patient with this id would share their alarms.
 */
export const RESERVED_PATIENT_ID = GATEWAY_ID;

export type LoadResult = { ok: true; config: GatewayConfig } | { ok: false; problems: ConfigProblem[] };

/** Validates an already-parsed object (defaults are filled in place on a copy). */
export function validateConfig(input: unknown, baseDir = process.cwd(), lineOf: (path: string) => number | undefined = () => undefined): LoadResult {
  const data = structuredClone(input ?? {}) as Record<string, unknown>;
  const schemaProblems = validate(data) ? [] : (validate.errors ?? []).map((e) => toProblem(e, lineOf));
  // Every problem at once: the cross-checks run even when the schema failed, minus what they would
  // say about a part the schema already refused (a device without `patient` names no patient).
  const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
  const problems = [
    ...schemaProblems,
    ...crossChecks(data as unknown as GatewayConfig, lineOf).filter((p) => !schemaProblems.some((s) => overlaps(s.path, p.path))),
  ];
  if (problems.length > 0) return { ok: false, problems };
  const config = data as unknown as GatewayConfig;
  return { ok: true, config: { ...config, dataDir: resolve(baseDir, config.dataDir) } };
}

export function loadConfigText(text: string, baseDir: string): LoadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ path: "", message: `YAML: ${e.message.split("\n")[0] ?? e.code}`, line: lines.linePos(e.pos[0]).line })),
    };
  }
  const lineOf = (path: string): number | undefined => {
    const node = nodeAt(doc.contents, path.split("/").filter(Boolean));
    return node?.range ? lines.linePos(node.range[0]).line : undefined;
  };
  return validateConfig(doc.toJS(), baseDir, lineOf);
}

export function loadConfigFile(file: string): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    return { ok: false, problems: [{ path: "", message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` }] };
  }
  return loadConfigText(text, dirname(resolve(file)));
}

export function formatProblems(file: string, problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `${file}${p.line ? `:${p.line}` : ""}: ${p.path || "(file)"}: ${p.message}`).join("\n");
}

function toProblem(e: ErrorObject, lineOf: (path: string) => number | undefined): ConfigProblem {
  const params = e.params as Record<string, unknown>;
  let path = e.instancePath || "";
  let message = e.message ?? e.keyword;
  if (e.keyword === "additionalProperties") {
    const key = String(params["additionalProperty"]);
    path = `${path}/${key}`;
    const near = closestKey(key, siblingKeys(schema, e.schemaPath));
    message = `unknown key (not in config/gateway.schema.json)${near === undefined ? "" : `; did you mean '${near}'?`}`;
  } else if (e.keyword === "propertyNames") {
    path = `${path}/${String(params["propertyName"])}`;
    message = "not a vital that has thresholds";
  } else if (e.keyword === "enum") {
    message = `must be one of ${JSON.stringify(params["allowedValues"])}`;
  } else if (e.keyword === "required") {
    message = `missing required key '${String(params["missingProperty"])}'`;
  }
  const line = lineOf(path);
  return line === undefined ? { path, message } : { path, message, line };
}

/** Checks a schema cannot make. Each group is skipped if its part is malformed (the schema said so). */
function crossChecks(c: GatewayConfig, lineOf: (path: string) => number | undefined): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const add = (path: string, message: string) => {
    const line = lineOf(path);
    out.push(line === undefined ? { path, message } : { path, message, line });
  };
  const guarded = (check: () => void) => {
    const before = out.length;
    try {
      check();
    } catch {
      out.length = before;
    }
  };
  guarded(() => idChecks(c, add));
  guarded(() => {
    for (const p of checkAlertingConfig(c.alerting)) add(`/alerting${p.path}`, p.message);
  });
  guarded(() => {
    for (const message of validateBleDevices(c.ble.devices)) add("/ble/devices", message);
  });
  guarded(() => mqttChecks(c, add));
  return out;
}

function idChecks(c: GatewayConfig, add: (path: string, message: string) => void): void {
  const patientIds = new Set<string>();
  c.patients.forEach((p, i) => {
    if (p.id === RESERVED_PATIENT_ID) add(`/patients/${i}/id`, `'${p.id}' is reserved for the gateway's own technical alarms`);
    if (patientIds.has(p.id)) add(`/patients/${i}/id`, `duplicate patient id '${p.id}'`);
    patientIds.add(p.id);
  });
  const deviceIds = new Set<string>();
  c.devices.forEach((d, i) => {
    if (deviceIds.has(d.id)) add(`/devices/${i}/id`, `duplicate device id '${d.id}'`);
    deviceIds.add(d.id);
    if (!patientIds.has(d.patient)) add(`/devices/${i}/patient`, `names patient '${d.patient}', which is not in /patients`);
  });
}

function mqttChecks(c: GatewayConfig, add: (path: string, message: string) => void): void {
  if (c.mqtt.passwordFile !== undefined && c.mqtt.url === undefined) add("/mqtt/passwordFile", "only applies with an external broker (`url`)");
  if ((c.mqtt.embeddedUsername === undefined) !== (c.mqtt.embeddedPasswordFile === undefined)) {
    add(c.mqtt.embeddedUsername === undefined ? "/mqtt/embeddedUsername" : "/mqtt/embeddedPasswordFile", "embeddedUsername and embeddedPasswordFile go together");
  }
  if (c.demo.enabled && c.mqtt.embeddedUsername !== undefined) add("/demo/enabled", "the demo replay publishes without a login; it cannot run with embeddedUsername set");
  // Without credentials the embedded broker takes anonymous clients: anyone who could reach it could inject readings.
  const loopback = ["127.0.0.1", "::1", "localhost"].includes(c.mqtt.embeddedHost);
  if (c.mqtt.url === undefined && !loopback && c.mqtt.embeddedUsername === undefined) {
    add("/mqtt/embeddedHost", "an embedded broker beyond loopback needs embeddedUsername and embeddedPasswordFile (or set `url` to a broker with credentials)");
  }
  // The broker URL is logged and printed at start: a password in it would end up in the journal.
  if (c.mqtt.url !== undefined && URL.canParse(c.mqtt.url) && new URL(c.mqtt.url).username + new URL(c.mqtt.url).password !== "") {
    add("/mqtt/url", "credentials in the URL are not allowed; use username and passwordFile");
  }
}

function nodeAt(node: unknown, keys: string[]): Node | undefined {
  let cur = node;
  for (const key of keys) {
    if (isMap(cur)) cur = cur.get(key, true);
    else if (isSeq(cur)) cur = cur.get(Number(key), true);
    else return undefined;
  }
  return cur as Node | undefined;
}
