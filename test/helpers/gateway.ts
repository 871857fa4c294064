/** Starts a real gateway (embedded broker, SQLite files in a temp dir, free ports) for tests. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import WebSocket from "ws";
import { loadConfigText } from "../../src/config/load.js";
import { jsonLogger } from "../../src/adapters/log/jsonLogger.js";
import { startGateway, type Gateway } from "../../src/main.js";
import type { ServerMessage } from "../../src/adapters/ws/messages.js";

export const TEST_CONFIG = `
http: { port: 0 }
mqtt: { embeddedPort: 0 }
logging: { level: error }
patients: [{ id: p1, label: Bed 1 }, { id: p2, label: Bed 2 }]
devices: [{ id: strap1, patient: p1 }, { id: mon1, patient: p1 }, { id: strap2, patient: p2 }]
alerting:
  thresholds: { heart_rate: { low: 40, high: 130 }, spo2: { low: 91 } }
  priorities: { threshold: high }
  persistence: { raiseMs: { high: 0, medium: 0, low: 0 }, clearMs: 0, technicalRaiseMs: 0, technicalClearMs: 0, linkGraceMs: 0 }
`;

/** `dir`: reuse a folder (a restart); its data lives in `<dir>/vitals-data`. */
export async function testGateway(yaml = TEST_CONFIG, dir = mkdtempSync(join(tmpdir(), "vg-e2e-"))): Promise<{ gateway: Gateway; dir: string; logs: string[] }> {
  const loaded = loadConfigText(yaml, dir);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const logs: string[] = [];
  const gateway = await startGateway(loaded.config, { logger: jsonLogger("debug", "test", (l) => logs.push(l)) });
  return { gateway, dir: loaded.config.dataDir, logs };
}

export async function publisher(url: string): Promise<MqttClient> {
  return mqtt.connectAsync(url, { protocolVersion: 4 });
}

/** A WebSocket client that queues every message so a test can wait for the one it needs. */
export class WsClient {
  readonly messages: ServerMessage[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.messages.push(JSON.parse((data as Buffer).toString("utf8")) as ServerMessage);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async connect(baseUrl: string, headers: Record<string, string>): Promise<WsClient> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}ws`, { headers });
    const client = new WsClient(ws); // listen before open: the server greets at once
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once("error", reject);
    });
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  async next<T extends ServerMessage>(match: (m: ServerMessage) => m is T, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.messages.findIndex(match);
      if (i >= 0) return this.messages.splice(i, 1)[0] as T;
      if (Date.now() > deadline) throw new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.map((m) => (m.type === "alert" ? `alert:${m.alert.cause}:${m.alert.state}` : m.type)))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}

export const ofType =
  <K extends ServerMessage["type"]>(type: K, extra: (m: Extract<ServerMessage, { type: K }>) => boolean = () => true) =>
  (m: ServerMessage): m is Extract<ServerMessage, { type: K }> =>
    m.type === type && extra(m as Extract<ServerMessage, { type: K }>);

export async function metricValue(gateway: Gateway, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await gateway.metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const hit = metric?.values.find((v) => Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want));
  return hit?.value ?? 0;
}

/** Polls until `check` passes (for effects that cross a broker), failing with its last error. */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
