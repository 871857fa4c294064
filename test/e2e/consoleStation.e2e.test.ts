/**
 * A wall-mounted station in Chromium, across a gateway restart and a token revocation (issue 10):
 * after a restart on the same data dir the console resumes by itself, without signing in again;
 * after `revoke` it shows the sign-in form within a second. Both rely on sessions persisted in
 * auth.db and on the hub closing revoked consoles (the security branch).
 */
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { buildConsole } from "../../scripts/buildConsole.js";
import type { Gateway } from "../../src/main.js";
import { TEST_CONFIG, testGateway } from "../helpers/gateway.js";

const CHROMIUM = process.env["CHROMIUM"] ?? "/usr/bin/chromium";
let gateway: Gateway | undefined;
let browser: Browser;

beforeAll(async () => {
  await buildConsole();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
});

afterAll(async () => {
  await browser?.close();
});

async function signIn(page: Page, g: Gateway, name: string): Promise<string> {
  const { id, token } = g.tokens.createToken("nurse", name);
  await page.goto(g.url);
  await page.getByLabel("Access token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#status[data-state=live]").waitFor();
  return id;
}

it("resumes after a gateway restart on the same data dir without signing in again", async () => {
  const started = await testGateway();
  gateway = started.gateway;
  const page = await browser.newPage();
  await signIn(page, gateway, "Wall Station");

  const port = new URL(gateway.url).port;
  await gateway.stop();
  gateway = undefined;
  await page.locator("#link-banner").waitFor({ state: "visible" });
  gateway = (await testGateway(TEST_CONFIG.replace("http: { port: 0 }", `http: { port: ${port} }`), started.dir.replace(/\/vitals-data$/, ""))).gateway;

  await page.locator("#status[data-state=live]").waitFor({ timeout: 30_000 });
  expect(await page.locator("#login").isHidden()).toBe(true);
  expect(await page.locator("#link-banner").isHidden()).toBe(true);
  expect(await page.textContent("#user")).toBe("Wall Station (nurse)");
  await page.close();
}, 90_000);

it("shows the sign-in form within a second of the token being revoked", async () => {
  gateway = (await testGateway()).gateway;
  const page = await browser.newPage();
  const id = await signIn(page, gateway, "Nurse To Revoke");
  const revokedAt = Date.now();
  expect(gateway.tokens.revoke(id)).toBe(true);
  await page.locator("#login").waitFor({ state: "visible", timeout: 1000 });
  expect(Date.now() - revokedAt).toBeLessThanOrEqual(1000);
  expect(await page.locator("#app").isHidden()).toBe(true);
  expect(await page.textContent("#status")).toBe("signed out");
  await page.close();
});
