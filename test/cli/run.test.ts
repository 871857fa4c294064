/**
 * `vitals-gateway run` as a process: the demo on embedded defaults shows patients and alerts over
 * the one-time login link within a minute; SIGHUP reloads a config or refuses a bad one and keeps
 * running.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TokenStore } from "../../src/adapters/sqlite/tokenStore.js";
import { startCli, stopCli } from "../helpers/cli.js";
import { eventually, ofType, WsClient } from "../helpers/gateway.js";

const tmp = () => mkdtempSync(join(tmpdir(), "vg-run-"));

describe("vitals-gateway run", () => {
  it("with no config runs the demo: prints the console URL and a login link that works once", async () => {
    const { child, match, output } = await startCli(["run", "--port", "0", "--data-dir", tmp()], /console: (http:\/\/127\.0\.0\.1:\d+\/)\n/);
    try {
      const base = match[1] ?? "";
      const link = /login \(one-time, 15 min\): (\S+)/.exec(output())?.[1] ?? "";
      expect(link.startsWith(`${base}login?code=vgl_`)).toBe(true);
      const login = await fetch(link, { redirect: "manual" });
      expect(login.status).toBe(303);
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      expect(login.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Strict/);
      expect((await fetch(link, { redirect: "manual" })).status).toBe(401); // used once

      const ws = await WsClient.connect(base, { cookie, origin: base.slice(0, -1) });
      const snapshot = await ws.next(ofType("snapshot"));
      expect(snapshot.patients).toHaveLength(4);
      // Replayed recordings flow through MQTT into the pipeline and raise real alerts.
      await ws.next(ofType("reading"), 30_000);
      await ws.next(ofType("alert"), 60_000);
      ws.close();
    } finally {
      expect(await stopCli(child)).toBe(0);
    }
  }, 90_000);

  it("on SIGHUP applies a valid config and refuses an invalid one, counted, without stopping", async () => {
    const dir = tmp();
    const file = join(dir, "gateway.yaml");
    const good = (label: string) => `dataDir: ./data\nhttp: {port: 0}\nmqtt: {embeddedPort: 0}\npatients: [{id: p1, label: "${label}"}]\n`;
    writeFileSync(file, good("Bed 1"));
    const { child, match } = await startCli(["run", "--config", file], /console: (http:\/\/127\.0\.0\.1:\d+\/)\n/);
    try {
      const base = match[1] ?? "";
      writeFileSync(file, "http: {port: 0}\npatients: [{id: p1}]\n"); // label missing
      child.kill("SIGHUP");
      await eventually(async () => expect(await (await fetch(`${base}metrics`)).text()).toMatch(/vg_config_reloads_total\{result="rejected"\} 1/));
      expect(await (await fetch(`${base}metrics`)).text()).toMatch(/vg_rejected_total\{code="config_invalid",stage="config"\} 1/);
      expect((await fetch(`${base}readyz`)).status).toBe(200);
      writeFileSync(file, good("Bed 7"));
      child.kill("SIGHUP");
      await eventually(async () => expect(await (await fetch(`${base}metrics`)).text()).toMatch(/vg_config_reloads_total\{result="applied"\} 1/));
      // The running daemon now shows the new label (a token made on its data dir, as an admin would).
      const tokens = new TokenStore(join(dir, "data", "auth.db"), Date.now);
      const ws = await WsClient.connect(base, { authorization: `Bearer ${tokens.createToken("viewer", "check").token}` });
      tokens.close();
      expect((await ws.next(ofType("snapshot"))).patients.map((p) => p.label)).toEqual(["Bed 7"]);
      ws.close();
    } finally {
      expect(await stopCli(child)).toBe(0);
    }
  }, 60_000);
});
