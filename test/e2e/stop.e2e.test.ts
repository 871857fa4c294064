/**
 * Stopping with a console connected: the console is told (close 1001 "gateway shutting down")
 * and stop() completes. The HTTP server used to be closed first, and it waits for the upgraded
 * WebSocket sockets that only the hub closes: stop hung until the socket died on its own (about
 * 30 s, abnormal close 1006), which delayed every restart.
 */
import { expect, it } from "vitest";
import { ofType, testGateway, WsClient } from "../helpers/gateway.js";

it("closes connected consoles with 1001 and then stops", async () => {
  const { gateway } = await testGateway();
  const nurse = await WsClient.connect(gateway.url, { authorization: `Bearer ${gateway.tokens.createToken("nurse", "nurse-stop").token}` });
  await nurse.next(ofType("snapshot"));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => nurse.ws.once("close", (code, reason) => resolve({ code, reason: reason.toString("utf8") })));
  await gateway.stop();
  expect(await closed).toEqual({ code: 1001, reason: "gateway shutting down" });
});
