/**
 * Persist, then push (DESIGN §1): an alert nobody acknowledged survives a restart of the gateway
 * and is shown to the first console that connects afterwards, still active, with its id; the
 * audit chain spans both runs and verifies.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { SqliteAuditLog } from "../../src/adapters/sqlite/auditLog.js";
import { ofType, publisher, testGateway, WsClient } from "../helpers/gateway.js";

it("an unacknowledged alert is still open after a restart and reaches the next console", async () => {
  const home = mkdtempSync(join(tmpdir(), "vg-restart-"));
  const first = await testGateway(undefined, home);
  const device = await publisher(first.gateway.mqttUrl);
  const token = first.gateway.tokens.createToken("nurse", "n").token;
  const before = await WsClient.connect(first.gateway.url, { authorization: `Bearer ${token}` });
  await device.publishAsync("vitals/strap1/gatt/2a37", Buffer.from([0x00, 150]), { qos: 1 });
  const raised = (await before.next(ofType("alert", (m) => m.alert.cause === "threshold:heart_rate:high"))).alert;
  before.close();
  await device.endAsync();
  await first.gateway.stop();

  const second = await testGateway(undefined, home);
  try {
    const after = await WsClient.connect(second.gateway.url, { authorization: `Bearer ${token}` }); // tokens persist too
    const { alerts } = await after.next(ofType("snapshot"));
    expect(alerts.find((a) => a.id === raised.id)).toMatchObject({ state: "active", cause: "threshold:heart_rate:high", priority: "high" });
    after.close();
  } finally {
    await second.gateway.stop();
  }
  const { log, db } = SqliteAuditLog.openFile(join(second.dir, "alarms.db"));
  expect(log.verify()).toMatchObject({ ok: true });
  db.close();
});
