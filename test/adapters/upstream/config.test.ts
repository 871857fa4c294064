import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { expect, it } from "vitest";
import { resolveUpstream, UPSTREAM_DEFAULTS, type UpstreamOptions } from "../../../src/adapters/upstream/config.js";

const fragment = JSON.parse(readFileSync(new URL("../../../src/adapters/upstream/configSchema.json", import.meta.url), "utf8")) as { properties: Record<string, { default?: unknown }> };
const validate = new Ajv({ allErrors: true, useDefaults: true, strict: true }).compile(fragment);

it("the proposed `upstream` schema fragment compiles strictly, fills the code's defaults and refuses what the code refuses", () => {
  const data: Record<string, unknown> = { url: "mqtts://central.example:8883", gatewayId: "ward3-bed1" };
  expect(validate(data)).toBe(true);
  expect(Object.fromEntries(Object.entries(data).filter(([k]) => k in UPSTREAM_DEFAULTS))).toEqual(UPSTREAM_DEFAULTS);
  expect(resolveUpstream(data as unknown as UpstreamOptions)).toMatchObject({ topicPrefix: "gateways/ward3-bed1", clientId: "vitals-gateway-ward3-bed1" });
  for (const bad of [{ url: "http://x:1" }, { url: "mqtt://u:p@x" }, { gatewayId: "a/b" }, { topicPrefix: "a/#" }, { topicPrefix: "a/" }, { maxInFlight: 0 }]) {
    const input = { url: "mqtt://x:1", gatewayId: "g", ...bad };
    expect(validate(structuredClone(input)), JSON.stringify(bad)).toBe(false);
    expect(() => resolveUpstream(input), JSON.stringify(bad)).toThrow(/^upstream\./);
  }
});
