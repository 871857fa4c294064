/**
 * Issue 9 item 6 on a real gateway: the "no nurse console connected" technical alarm is cleared by
 * a nurse's console, never by a viewer's (a corridor screen, a relative).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Gateway } from "../../src/main.js";
import { ofType, testGateway, WsClient } from "../helpers/gateway.js";

const CAUSE = "technical:external:no_nurse_client";
let gateway: Gateway;

beforeAll(async () => {
  ({ gateway } = await testGateway());
});
afterAll(async () => {
  await gateway?.stop();
});

it("keeps the alarm open while only a viewer watches, and resolves it when a nurse connects", async () => {
  const viewer = await WsClient.connect(gateway.url, { authorization: `Bearer ${gateway.tokens.createToken("viewer", "Corridor").token}` });
  const { alerts } = await viewer.next(ofType("snapshot"));
  const alarm = alerts.find((a) => a.cause === CAUSE);
  expect(alarm).toMatchObject({ state: "active", kind: "technical" });
  await new Promise((r) => setTimeout(r, 1500)); // technicalClearMs is 0 here: a clear would have come by now
  expect(viewer.messages.some((m) => m.type === "alert" && m.alert.cause === CAUSE && m.event === "resolve")).toBe(false);

  const nurse = await WsClient.connect(gateway.url, { authorization: `Bearer ${gateway.tokens.createToken("nurse", "Nurse").token}` });
  await viewer.next(ofType("alert", (m) => m.alert.id === alarm?.id && m.event === "resolve"));
  nurse.close();
  viewer.close();
}, 30_000);
