/** Unknown config keys get a "did you mean" when a known key is a typo away (issue 11 item 5). */
import { describe, expect, it } from "vitest";
import { loadConfigText } from "../../src/config/load.js";
import { closestKey } from "../../src/config/didYouMean.js";

describe("did you mean", () => {
  it("names the known key beside a misspelt one, at any depth, and nothing for a stranger", () => {
    const r = loadConfigText("htpp: {port: 1}\nmqtt: {embededPort: 3, zzz: 1}\nalerting: {escalation: {t1ms: 3}}\n", "/etc/vg");
    expect(r.ok ? [] : r.problems.map((p) => [p.path, p.message])).toEqual([
      ["/htpp", "unknown key (not in config/gateway.schema.json); did you mean 'http'?"],
      ["/mqtt/embededPort", "unknown key (not in config/gateway.schema.json); did you mean 'embeddedPort'?"],
      ["/mqtt/zzz", "unknown key (not in config/gateway.schema.json)"],
      ["/alerting/escalation/t1ms", "unknown key (not in config/gateway.schema.json); did you mean 't1Ms'?"],
    ]);
  });

  it("counts a swap of neighbours as one edit and refuses distant or short guesses", () => {
    expect(closestKey("pateints", ["patients", "devices"])).toBe("patients");
    expect(closestKey("url", ["ble", "demo"])).toBeUndefined();
    expect(closestKey("storagee", ["storage", "anomaly"])).toBe("storage");
  });
});
