/**
 * A flood of bad frames (issue 9 item 8: 100k fuzzed frames were 88,740 warn lines) is counted
 * exactly in /metrics but logged at a bounded rate; frames that carry no patient value are
 * counted too (no_reading), and the gateway keeps taking good frames.
 */
import { expect, it } from "vitest";
import { eventually, metricValue, publisher, testGateway } from "../helpers/gateway.js";

it("counts every bad frame and logs at most 10 lines per code per minute", { timeout: 60_000 }, async () => {
  const { gateway, logs } = await testGateway();
  const device = await publisher(gateway.mqttUrl);
  try {
    const bad = Array.from({ length: 500 }, (_, i) => device.publishAsync("vitals/strap1/gatt/2a37", Buffer.from([0x01, i & 0xff]), { qos: 1 })); // uint16 flag, 1 byte: truncated
    const noContact = Array.from({ length: 50 }, () => device.publishAsync("vitals/strap1/gatt/2a37", Buffer.from([0x04, 72]), { qos: 1 })); // contact not detected
    await Promise.all([...bad, ...noContact]);
    await device.publishAsync("vitals/strap1/gatt/2a37", Buffer.from([0x00, 72]), { qos: 1 });
    await eventually(async () => {
      expect(await metricValue(gateway, "vg_rejected_total", { code: "decode_truncated", stage: "decode" })).toBe(500);
      expect(await metricValue(gateway, "vg_rejected_total", { code: "no_reading", stage: "decode" })).toBe(50);
      expect(await metricValue(gateway, "vg_readings_stored_total")).toBe(1);
    });
    const lines = (code: string) => logs.filter((l) => l.includes(`"code":"${code}"`));
    expect(lines("decode_truncated")).toHaveLength(10);
    expect(lines("no_reading")).toHaveLength(10);
    expect(lines("no_reading")[0]).toContain("sensor contact not detected");
  } finally {
    await device.endAsync();
    await gateway.stop();
  }
});
