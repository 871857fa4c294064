/**
 * Issue 10's wall station, in Chromium: a console signed in before a gateway restart on the same
 * data dir comes back live by itself (its session is in auth.db), and one whose token is revoked
 * is signed out within a second, without anyone touching it.
 */
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Gateway } from "../../src/main.js";
import { runCli } from "../helpers/cli.js";
import { TEST_CONFIG, testGateway } from "../helpers/gateway.js";

const CHROMIUM = process.env["CHROMIUM"] ?? "/usr/bin/chromium";
let gateway: Gateway;
let home: string;
let browser: Browser;

beforeAll(async () => {
  let dataDir: string;
  ({ gateway, dir: dataDir } = await testGateway());
  home = dataDir.replace(/\/vitals-data$/, "");
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
});

async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(gateway.url);
  await page.getByLabel("Access token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#status[data-state=live]").waitFor();
}

it("comes back live after a gateway restart on the same data dir, without signing in again", async () => {
  const page = await browser.newPage();
  await signIn(page, gateway.tokens.createToken("nurse", "Wall Station").token);
  const port = new URL(gateway.url).port;
  await gateway.stop();
  await page.locator("#status:not([data-state=live])").waitFor({ timeout: 20_000 }); // it noticed the gateway went away
  ({ gateway } = await testGateway(TEST_CONFIG.replace("http: { port: 0 }", `http: { port: ${port} }`), home));
  await page.locator("#status[data-state=live]").waitFor({ timeout: 30_000 });
  expect(await page.locator("#login").isVisible()).toBe(false);
  await page.close();
}, 90_000);

it("is signed out when its token is revoked from the command line", async () => {
  const page = await browser.newPage();
  const { id, token } = gateway.tokens.createToken("nurse", "Revoked Station");
  await signIn(page, token);
  expect((await runCli(["token", "revoke", id, "--data-dir", `${home}/vitals-data`])).code).toBe(0);
  await page.locator("#login").waitFor({ state: "visible", timeout: 5_000 });
  expect(await page.textContent("#status")).toBe("signed out");
  await page.close();
}, 90_000);
