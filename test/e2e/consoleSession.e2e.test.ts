/**
 * The console after a gateway restart on a fresh data dir, in Chromium: sessions live in auth.db,
 * which is new here, so the console's session is gone and its WebSocket upgrade is refused (401),
 * which a browser cannot tell from a dropped link. It must show the sign-in form, not retry
 * forever. (A restart on the same data dir keeps the session: test/e2e/revocation.e2e.test.ts.)
 */
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Gateway } from "../../src/main.js";
import { TEST_CONFIG, testGateway } from "../helpers/gateway.js";

const CHROMIUM = process.env["CHROMIUM"] ?? "/usr/bin/chromium";
let gateway: Gateway;
let browser: Browser;

beforeAll(async () => {
  ({ gateway } = await testGateway());
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
});

it("shows the sign-in form when the gateway restarted and the session is gone", async () => {
  const page = await browser.newPage();
  await page.goto(gateway.url);
  await page.getByLabel("Access token").fill(gateway.tokens.createToken("nurse", "Nurse Restart").token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#status[data-state=live]").waitFor();

  const port = new URL(gateway.url).port;
  await gateway.stop();
  ({ gateway } = await testGateway(TEST_CONFIG.replace("http: { port: 0 }", `http: { port: ${port} }`)));

  await page.locator("#login").waitFor({ state: "visible", timeout: 20_000 });
  expect(await page.locator("#app").isHidden()).toBe(true);
  expect(await page.textContent("#status")).toBe("signed out");
  await page.close();
});
