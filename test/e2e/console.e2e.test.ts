/**
 * The nurse console in Debian's Chromium, driven by Playwright: sign in with a token, see a
 * patient's vitals and an alert arrive live, acknowledge it with the button.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import type { MqttClient } from "mqtt";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Gateway } from "../../src/main.js";
import { publisher, testGateway } from "../helpers/gateway.js";

const CHROMIUM = process.env["CHROMIUM"] ?? "/usr/bin/chromium";
let gateway: Gateway;
let dir: string;
let browser: Browser;
let device: MqttClient;

beforeAll(async () => {
  ({ gateway, dir } = await testGateway());
  device = await publisher(gateway.mqttUrl);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

afterAll(async () => {
  await browser?.close();
  await device?.endAsync();
  await gateway?.stop();
});

it("signs in, shows live vitals and an alert, and acknowledges it", async () => {
  const page = await browser.newPage();
  await page.goto(gateway.url);
  await page.getByText("Sign in", { exact: true }).first().waitFor();
  expect(await page.locator("#app").isHidden()).toBe(true);

  await page.getByLabel("Access token").fill("vgt_not-a-real-token");
  await page.getByRole("button", { name: "Sign in" }).click();
  expect(await page.textContent("body")).toContain("Unknown or revoked token");

  await page.goto(gateway.url);
  await page.getByLabel("Access token").fill(gateway.tokens.createToken("nurse", "Nurse Console").token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#status[data-state=live]").waitFor();
  expect(await page.textContent("#user")).toBe("Nurse Console (nurse)");
  expect(await page.locator(".patient h3").allTextContents()).toEqual(["Bed 1", "Bed 2"]);

  await device.publishAsync("vitals/strap1/gatt/2a37", Buffer.from([0x00, 150]), { qos: 1 });
  const hr = page.locator('[data-patient-id="p1"] dd[data-vital="heart_rate"]');
  await hr.waitFor();
  expect(await hr.textContent()).toBe("150 /min");
  const alert = page.locator('.alert[data-cause="threshold:heart_rate:high"]');
  await alert.waitFor();
  expect(await alert.textContent()).toContain("heart rate 150 /min is above the limit 130");
  expect(await alert.getAttribute("data-state")).toBe("active");
  expect(await alert.textContent()).toContain("no model score yet"); // the model is loaded, it has not scored Bed 1

  await alert.getByRole("button", { name: "Acknowledge" }).click();
  await page.locator('.alert[data-cause="threshold:heart_rate:high"][data-state=acknowledged]').waitFor();
  expect(await alert.locator("button").count()).toBe(0);

  // ACVPU from the nurse reaches the engine (audited as a clinical input).
  await page.getByLabel("Consciousness (ACVPU) of Bed 1").selectOption("A");
  await expect.poll(() => auditRows(dir, "clinical_input")).toBe(1);
  await page.close();
});

function auditRows(dataDir: string, type: string): number {
  const db = new Database(join(dataDir, "alarms.db"), { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE type = ?").get(type) as { n: number }).n;
  } finally {
    db.close();
  }
}
