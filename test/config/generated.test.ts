import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { composeSchema, FRAGMENTS, generatedFiles } from "../../scripts/gen-config-schema.js";
import { GATEWAY_SCHEMA } from "../../src/config/gatewaySchema.js";
import { ALERTING_SCHEMA } from "../../src/core/alerting/configSchema.js";
import { packagePath } from "../../src/packageRoot.js";

describe("the generated gateway schema", () => {
  it("is committed exactly as scripts/gen-config-schema.ts writes it (run `npx tsx scripts/gen-config-schema.ts` after changing a fragment)", () => {
    for (const [file, text] of Object.entries(generatedFiles())) expect(readFileSync(packagePath(file), "utf8"), file).toBe(text);
  });

  it("takes every top-level key from its owner's fragment, alerting's straight from the engine's schema", () => {
    const schema = composeSchema() as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(FRAGMENTS.map(([key]) => key));
    expect(schema.properties["alerting"]).toEqual(JSON.parse(JSON.stringify(ALERTING_SCHEMA)));
    const upstream = JSON.parse(readFileSync(packagePath("src/adapters/upstream/configSchema.json"), "utf8")) as unknown;
    expect(schema.properties["upstream"]).toEqual(upstream);
    expect(GATEWAY_SCHEMA).toEqual(schema); // the loader validates with the same object the file holds
  });

  it("leaves src/config free of adapters and of hand-made casts of the config", () => {
    const dir = packagePath("src/config");
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const text = readFileSync(join(dir, file), "utf8");
      expect(text, file).not.toMatch(/from "\.\.\/adapters\//);
      expect(text, file).not.toMatch(/as unknown as/);
    }
  });
});
