/**
 * What re-checking open consoles costs (issue 9 item 5). The hub sweeps every SWEEP_MS: when
 * nothing changed it reads auth.db's data_version only; after a change (a `token revoke` from
 * another process) it re-checks every open console; and every console message is re-authorised.
 * Each is measured against a bare primary-key SELECT on the same auth.db in the same run. Last,
 * end to end on a real gateway: the time from a revocation committed by another connection (as
 * `token revoke` does) to the console's socket closed, against the sweep interval.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import WebSocket from "ws";
import { loadConfigText } from "../config/load.js";
import { startGateway } from "../main.js";
import { SWEEP_MS } from "../adapters/ws/hub.js";
import { Sessions, type Credential } from "../adapters/http/sessions.js";
import { TokenStore } from "../adapters/sqlite/tokenStore.js";
import { opsPerSecond, type Bench, type BenchFigure } from "./bench.js";

const CONSOLES = 200;
const REVOKE_ROUNDS = 20;

/** Median ms from a revocation committed on another connection to the console's socket closing. */
async function revokeToClose(dir: string): Promise<number> {
  const loaded = loadConfigText("http: {port: 0}\nmqtt: {embeddedPort: 0}\nlogging: {level: error}\nanomaly: {enabled: false}\n", join(dir, "gw"));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const gateway = await startGateway(loaded.config);
  const times: number[] = [];
  try {
    for (let i = 0; i < REVOKE_ROUNDS; i++) {
      const { id, token } = gateway.tokens.createToken("nurse", `bench-${i}`);
      const ws = new WebSocket(`${gateway.url.replace(/^http/, "ws")}ws`, { headers: { authorization: `Bearer ${token}` } });
      await new Promise<void>((resolve, reject) => ws.once("open", () => resolve()).once("error", reject));
      const closed = new Promise<number>((resolve) => ws.once("close", () => resolve(performance.now())));
      await new Promise((r) => setTimeout(r, (i * SWEEP_MS) / REVOKE_ROUNDS)); // spread over the sweep's phase
      const other = new TokenStore(join(loaded.config.dataDir, "auth.db"), Date.now);
      const start = performance.now();
      other.revoke(id);
      other.close();
      times.push((await closed) - start);
    }
  } finally {
    await gateway.stop();
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

export const sessionSweepBench: Bench = {
  name: `session sweep (checks/s; ${CONSOLES} open consoles)`,
  async run(): Promise<BenchFigure[]> {
    const dir = mkdtempSync(join(tmpdir(), "vg-bench-sessions-"));
    const tokens = new TokenStore(join(dir, "auth.db"), Date.now);
    const sessions = new Sessions(tokens, 720 * 60_000, Date.now);
    const credentials: Credential[] = Array.from({ length: CONSOLES }, (_, i) => {
      const { id } = tokens.createToken("nurse", `bench-${i}`);
      return { kind: "session", id: sessions.create({ tokenId: id, name: `bench-${i}`, role: "nurse" }) };
    });
    const raw = new Database(join(dir, "auth.db"), { readonly: true });
    const select = raw.prepare("SELECT revoked_at FROM credentials WHERE id = ?");
    const someId = tokens.list()[0]!.id;
    let sink = 0;
    try {
      const baseline = { name: "bare PK SELECT", value: opsPerSecond(() => (sink += select.get(someId) === undefined ? 0 : 1), 500) };
      const idle = opsPerSecond(() => (sink += sessions.changeCount()), 500);
      const perMessage = opsPerSecond(() => (sink += sessions.validity(credentials[7]!) === "valid" ? 1 : 0), 500);
      const full = opsPerSecond(() => {
        for (const c of credentials) sink += (sessions.validity(c) === "valid" ? 1 : 0) + (sessions.deadline(c) ?? 0);
      }, 500);
      await Promise.resolve(sink);
      const closeMs = await revokeToClose(dir);
      return [
        { name: `revoked console closed (median of ${REVOKE_ROUNDS}, real gateway)`, value: closeMs, unit: "ms", baseline: { name: "sweep interval", value: SWEEP_MS } },
        { name: "idle sweep (data_version read)", value: idle, unit: "sweeps/s", baseline },
        { name: "per-message validity check", value: perMessage, unit: "checks/s", baseline },
        { name: `full re-check of ${CONSOLES} consoles after a change`, value: full, unit: "re-checks/s", baseline: { name: `${CONSOLES} bare PK SELECTs`, value: baseline.value / CONSOLES } },
      ];
    } finally {
      raw.close();
      tokens.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
