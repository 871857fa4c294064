/**
 * Issue 9 item 5 and issue 10's persistent sessions, end to end: a real gateway, a real WebSocket
 * console signed in with a session cookie, `vitals-gateway token revoke` run as a separate
 * process on the same data dir, and a restart on the same data dir.
 */
import { afterEach, expect, it } from "vitest";
import WebSocket from "ws";
import type { Gateway } from "../../src/main.js";
import { CLOSE_UNAUTHORIZED } from "../../src/adapters/ws/hub.js";
import { runCli } from "../helpers/cli.js";
import { ofType, testGateway, WsClient } from "../helpers/gateway.js";

let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
});

async function signIn(url: string, token: string): Promise<string> {
  const res = await fetch(new URL("/login", url), { method: "POST", body: new URLSearchParams({ token }), redirect: "manual" });
  expect(res.status).toBe(303);
  return /vg_session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
}

it("closes an open console within 1 s of `token revoke` in another process, with code 4401", async () => {
  const started = await testGateway();
  gateway = started.gateway;
  const { id, token } = gateway.tokens.createToken("nurse", "Nurse Revoke");
  const console = await WsClient.connect(gateway.url, { cookie: await signIn(gateway.url, token) });
  await console.next(ofType("snapshot"));
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
    console.ws.once("close", (code, reason) => resolve({ code, reason: reason.toString(), at: performance.now() })),
  );

  const revoke = await runCli(["token", "revoke", id, "--data-dir", started.dir]);
  const revokedAt = performance.now(); // the CLI has committed and exited
  expect(revoke.code).toBe(0);
  const close = await closed;
  expect(close.code).toBe(CLOSE_UNAUTHORIZED);
  expect(close.reason).toMatch(/revoked/);
  expect(close.at - revokedAt).toBeLessThan(1000);
  expect(console.ws.readyState).toBe(WebSocket.CLOSED);
  const me = await fetch(new URL("/api/me", gateway.url), { headers: { cookie: await signIn(gateway.url, gateway.tokens.createToken("nurse", "other").token) } });
  expect(me.status).toBe(200); // other sessions are untouched
}, 60_000);

it("keeps a console signed in across a gateway restart on the same data dir", async () => {
  const started = await testGateway();
  gateway = started.gateway;
  const cookie = await signIn(gateway.url, gateway.tokens.createToken("nurse", "Wall Station").token);
  const before = await WsClient.connect(gateway.url, { cookie });
  expect((await before.next(ofType("hello"))).user).toBe("Wall Station");
  await gateway.stop();

  gateway = (await testGateway(undefined, started.dir.replace(/\/vitals-data$/, ""))).gateway;
  const after = await WsClient.connect(gateway.url, { cookie }); // the same cookie, no new sign-in
  expect((await after.next(ofType("hello"))).user).toBe("Wall Station");
  const me = await fetch(new URL("/api/me", gateway.url), { headers: { cookie } });
  expect(await me.json()).toEqual({ user: "Wall Station", role: "nurse" });
  after.close();
}, 60_000);
