/**
 * Loads a YAML config, validates all of it against the generated schema (config/gateway.schema.json,
 * composed from the owners' fragments by scripts/gen-config-schema.ts) and runs every check a
 * schema cannot make (./crossChecks.ts: unknown patients, duplicate ids, upstream's URL, secret
 * files). Every problem is listed at once, with its path and line; if there is any, nothing is
 * returned, so nothing is applied.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { packagePath } from "../packageRoot.js";
import { crossChecks, type SecretFileProbe } from "./crossChecks.js";
import { closestKey, siblingKeys } from "./didYouMean.js";
import { GATEWAY_SCHEMA } from "./gatewaySchema.js";
import type { ConfigProblem, GatewayConfig } from "./types.js";

export { RESERVED_PATIENT_ID, SKIP_SECRET_FILES, type SecretFileProbe } from "./crossChecks.js";
/** The generated schema as a file, for editors and `check-config` users; the loader uses the same object. */
export const SCHEMA_PATH = packagePath("config", "gateway.schema.json");
const validate = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true }).compile<GatewayConfig>(GATEWAY_SCHEMA);

export type LoadResult = { ok: true; config: GatewayConfig } | { ok: false; problems: ConfigProblem[] };

type LineOf = (path: string) => number | undefined;

/**
 * Validates an already-parsed object (defaults are filled in place on a copy). `secretFiles`
 * decides whether a named secret file can be read (default: really try, as the daemon would).
 */
export function validateConfig(input: unknown, baseDir = process.cwd(), lineOf: LineOf = () => undefined, secretFiles?: SecretFileProbe): LoadResult {
  const data: unknown = structuredClone(input ?? {});
  if (data === null || typeof data !== "object" || Array.isArray(data)) return { ok: false, problems: [{ path: "", message: "must be a mapping of keys (http:, mqtt:, …)" }] };
  const valid = validate(data);
  const schemaProblems = valid ? [] : (validate.errors ?? []).map((e) => toProblem(e, lineOf));
  // Every problem at once: the cross-checks run even when the schema failed, minus what they would
  // say about a part the schema already refused.
  const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
  const problems = [...schemaProblems];
  const add = (path: string, message: string) => {
    if (schemaProblems.some((s) => overlaps(s.path, path))) return;
    const line = lineOf(path);
    problems.push(line === undefined ? { path, message } : { path, message, line });
  };
  crossChecks({ ...data }, add, secretFiles);
  if (!valid || problems.length > 0) return { ok: false, problems };
  return { ok: true, config: { ...data, dataDir: resolve(baseDir, data.dataDir) } };
}

export function loadConfigText(text: string, baseDir: string, secretFiles?: SecretFileProbe): LoadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ path: "", message: `YAML: ${e.message.split("\n")[0] ?? e.code}`, line: lines.linePos(e.pos[0]).line })),
    };
  }
  // A key that is missing (`upstream.username`) has no line: point at the block that lacks it.
  const lineOf = (path: string): number | undefined => {
    const keys = path.split("/").filter(Boolean);
    for (let n = keys.length; n > 0; n--) {
      const node = nodeAt(doc.contents, keys.slice(0, n));
      if (node?.range) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return validateConfig(doc.toJS(), baseDir, lineOf, secretFiles);
}

export function loadConfigFile(file: string, secretFiles?: SecretFileProbe): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    return { ok: false, problems: [{ path: "", message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` }] };
  }
  return loadConfigText(text, dirname(resolve(file)), secretFiles);
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
    const near = closestKey(key, siblingKeys(GATEWAY_SCHEMA, e.schemaPath));
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

function nodeAt(node: unknown, keys: string[]): Node | undefined {
  let cur = node;
  for (const key of keys) {
    if (isMap(cur)) cur = cur.get(key, true);
    else if (isSeq(cur)) cur = cur.get(Number(key), true);
    else return undefined;
  }
  return cur as Node | undefined;
}
