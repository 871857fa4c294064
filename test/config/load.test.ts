import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GATEWAY_ID } from "../../src/core/gateway.js";
import { loadConfigFile, loadConfigText, RESERVED_PATIENT_ID, SCHEMA_PATH } from "../../src/config/load.js";
import { packagePath } from "../../src/packageRoot.js";
import { DEFAULT_ALERTING_CONFIG } from "../../src/core/alerting/config.js";
import { ALERTING_SCHEMA } from "../../src/core/alerting/configSchema.js";

describe("config loader", () => {
  it("accepts the example file, which documents every key of the schema", () => {
    const r = loadConfigFile(packagePath("config", "gateway.example.yaml"));
    expect(r.ok ? [] : r.problems).toEqual([]);
    const example = readFileSync(packagePath("config", "gateway.example.yaml"), "utf8");
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as { properties: Record<string, { properties?: Record<string, unknown> }> };
    for (const [key, sub] of Object.entries(schema.properties)) {
      expect(example, key).toMatch(new RegExp(`^(# )?${key}:`, "m")); // optional blocks (upstream) are shown commented out
      for (const inner of Object.keys(sub.properties ?? {})) expect(example, `${key}.${inner}`).toMatch(new RegExp(`^\\s+#? ?${inner}:`, "m"));
    }
  });

  it("embeds the alerting engine's schema fragment unchanged", () => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as { properties: { alerting: Record<string, unknown> } };
    const fragment = JSON.parse(JSON.stringify(ALERTING_SCHEMA)) as Record<string, unknown>;
    delete fragment["$schema"];
    delete fragment["$id"];
    expect(schema.properties.alerting).toEqual({ default: {}, ...fragment });
  });

  it("accepts the demo config", () => {
    const r = loadConfigFile(packagePath("config", "demo.yaml"));
    expect(r.ok ? [] : r.problems).toEqual([]);
  });

  it("fills defaults for an empty file and resolves dataDir against the file's folder", () => {
    const r = loadConfigText("", "/etc/vg");
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.config.http).toEqual({ host: "127.0.0.1", port: 8080, maxWsMessageBytes: 4096, allowedHosts: [] });
    expect(r.config.dataDir).toBe("/etc/vg/vitals-data");
    expect(r.config.alerting).toEqual(DEFAULT_ALERTING_CONFIG); // the schema's defaults are the engine's
    expect(r.config.alerting.thresholds).toEqual({}); // NEWS2 covers the limits unless a site adds its own
  });

  it("lists every problem at once, with path and line", () => {
    const text = [
      "http:",
      "  port: 70000", // line 2
      "  hots: x", // line 3: typo
      "patients:",
      "  - id: a",
      "    label: Bed 1",
      "devices:",
      "  - id: d1",
      "    patient: b", // line 9: unknown patient, listed with the schema's problems
      "logging: { level: loud }", // line 10
    ].join("\n");
    const r = loadConfigText(text, "/tmp");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "/http/port", line: 2 }),
        expect.objectContaining({ path: "/http/hots", message: expect.stringContaining("unknown key") as string, line: 3 }),
        expect.objectContaining({ path: "/logging/level", message: expect.stringContaining("debug") as string }),
        { path: "/devices/0/patient", message: "names patient 'b', which is not in /patients", line: 9 },
      ]),
    );
    expect(r.problems).toHaveLength(4);
  });

  it("does not repeat, as a cross-check, what the schema already refused, nor fail on a malformed part", () => {
    const r = loadConfigText("patients: [{ id: a, label: A }]\ndevices: [{ id: d1 }, { id: d2, patient: zz }]\nble: { devices: [{ mode: gatt }] }\n", "/tmp");
    expect(r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "/ble/devices/0: missing required key 'address'",
      "/devices/0: missing required key 'patient'",
      "/devices/1/patient: names patient 'zz', which is not in /patients",
    ]);
  });

  it("cross-checks what the schema cannot: unknown patients, duplicates, low >= high", () => {
    const text = "patients: [{id: a, label: A}, {id: a, label: B}]\ndevices: [{id: d, patient: zz}]\nalerting: {thresholds: {spo2: {low: 95, high: 90}}, escalation: {t1Ms: 5000, t2Ms: 1000}}\n";
    const r = loadConfigText(text, "/tmp");
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toEqual(["/patients/1/id", "/devices/0/patient", "/alerting/escalation/t2Ms", "/alerting/thresholds/spo2"]);
  });

  it("refuses the gateway's own patient id for a patient", () => {
    expect(RESERVED_PATIENT_ID).toBe(GATEWAY_ID);
    const r = loadConfigText(`patients: [{ id: ${GATEWAY_ID}, label: Bed 1 }]\n`, "/tmp");
    expect(r.ok ? [] : r.problems).toEqual([{ path: "/patients/0/id", line: 1, message: `'${GATEWAY_ID}' is reserved for the gateway's own technical alarms` }]);
  });

  it("refuses credentials in the MQTT URL, which is logged at start", () => {
    const r = loadConfigText("mqtt:\n  url: mqtt://hub:s3cret@broker.local:1883\n", "/tmp");
    expect(r.ok ? [] : r.problems).toEqual([{ path: "/mqtt/url", line: 2, message: "credentials in the URL are not allowed; use username and passwordFile" }]);
    expect(loadConfigText("mqtt:\n  url: mqtt://broker.local:1883\n  username: hub\n", "/tmp").ok).toBe(true);
  });

  it("refuses to expose an embedded broker without a login beyond loopback", () => {
    const r = loadConfigText("mqtt: { embeddedHost: 0.0.0.0 }\n", "/tmp");
    expect(r.ok ? [] : r.problems).toEqual([expect.objectContaining({ path: "/mqtt/embeddedHost", line: 1, message: expect.stringContaining("needs embeddedUsername") as string })]);
    expect(loadConfigText("mqtt: { embeddedHost: 0.0.0.0, url: mqtt://broker.local:1883 }\n", "/tmp").ok).toBe(true);
    expect(loadConfigText("mqtt: { embeddedHost: 0.0.0.0, embeddedUsername: bridges, embeddedPasswordFile: /run/pw }\n", "/tmp").ok).toBe(true);
    const half = loadConfigText("mqtt: { embeddedUsername: bridges }\n", "/tmp");
    expect(half.ok ? [] : half.problems.map((p) => p.path)).toEqual(["/mqtt/embeddedPasswordFile"]);
  });

  it("reports YAML syntax errors with a line", () => {
    const r = loadConfigText("http:\n  port: [1,\n", "/tmp");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]?.message).toMatch(/^YAML/);
  });

  it("reads mqtt.bridges as MQTT topic filters, none by default", () => {
    const none = loadConfigText("mqtt: {}\n", "/tmp");
    expect(none.ok && none.config.mqtt.bridges).toEqual([]);
    const two = loadConfigText('mqtt: { bridges: ["home/+/BTtoMQTT/+", "ward/#"] }\n', "/tmp");
    expect(two.ok && two.config.mqtt.bridges).toEqual(["home/+/BTtoMQTT/+", "ward/#"]);
    const bad = loadConfigText('mqtt: { bridges: ["home/#/BTtoMQTT"] }\n', "/tmp");
    expect(bad.ok ? [] : bad.problems.map((p) => p.path)).toEqual(["/mqtt/bridges/0"]);
  });
});
