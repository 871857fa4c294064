/** A central subscriber on the upstream broker, and small builders, for the upstream link tests. */
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import mqtt, { type MqttClient } from "mqtt";
import type { AlertEvent } from "../../../src/core/alerting/events.js";
import type { Alert, Reading } from "../../../src/core/model.js";
import type { Logger } from "../../../src/ports/logger.js";
import { alert } from "../../contracts/alertOutbox.contract.js";

export const silent: Logger = { log: () => undefined, child: () => silent };
export const clock = { now: () => 1_764_000_000_000, monotonic: () => performance.now() };

export const readingOf = (n: number): Reading => ({
  patientId: "p1", deviceId: "d1", vital: "heart_rate", value: 60 + (n % 50), unit: "/min", time: 1_764_000_000_000 + n, receivedAt: 1_764_000_000_000 + n, quality: ["receipt_time"],
});

export const raised = (a: Alert): AlertEvent => ({ type: "raise", alert: a, announce: true, audit: { type: "alert_raised", at: a.raisedAt, data: {} } });
export const updated = (a: Alert): AlertEvent => ({ type: "update", alert: a, announce: false, audit: { type: "alert_state", at: a.raisedAt, data: {} } });
export const escalated = (a: Alert): AlertEvent => ({ type: "escalate", alert: a, level: 1, audit: { type: "alert_escalated", at: a.raisedAt, data: {} } });
export const resolved = (a: Alert): AlertEvent => ({ type: "resolve", alert: { ...a, state: "resolved" }, audit: { type: "alert_resolved", at: a.raisedAt, data: {} } });
export { alert };

export interface Received {
  readonly topic: string;
  readonly retain: boolean;
  readonly json: Record<string, unknown>;
}

/** A central console's view: a persistent MQTT 5 session (as README.md tells operators to use). */
export class Central {
  readonly messages: Received[] = [];
  private constructor(readonly client: MqttClient) {
    client.on("message", (topic, payload, packet) => {
      const json = payload.length === 0 ? {} : (JSON.parse(payload.toString()) as Record<string, unknown>);
      this.messages.push({ topic, retain: packet.retain, json });
    });
  }

  static async connect(url: string, filter: string, clientId = `central-${process.pid}-${Math.random().toString(16).slice(2)}`): Promise<Central> {
    const client = await mqtt.connectAsync(url, { protocolVersion: 5, clientId, clean: false, properties: { sessionExpiryInterval: 3600 }, reconnectPeriod: 100 });
    const central = new Central(client);
    await client.subscribeAsync(filter, { qos: 1 });
    return central;
  }

  /** Reading seqs in arrival order (duplicates included). */
  readingSeqs(): number[] {
    return this.of("readings").flatMap((m) => (m.json["readings"] as { seq: number }[]).map((r) => r.seq));
  }

  alerts(): { seq: number; event: string; id: string }[] {
    return this.of("alert").map((m) => ({ seq: m.json["seq"] as number, event: m.json["event"] as string, id: (m.json["alert"] as Alert).id }));
  }

  of(type: string): Received[] {
    return this.messages.filter((m) => m.json["type"] === type);
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/** Waits (bounded by the test timeout, never asserted on) until `ok()` holds. */
export async function until(ok: () => boolean, what: string, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** First occurrences in order: what a receiver that de-duplicates by seq ends up with. */
export function dedupe(seqs: readonly number[]): number[] {
  return [...new Set(seqs)];
}

export function isIncreasing(xs: readonly number[]): boolean {
  return xs.every((x, i) => i === 0 || x > xs[i - 1]!);
}

/** A TCP proxy in front of the broker whose connections can be cut: a network loss without root. */
export class CuttableProxy {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
    private readonly state: { silent: boolean },
  ) {}

  /** Open sockets (both sides of each proxied connection). */
  get connections(): number {
    return this.sockets.size;
  }

  /** The broker keeps the connection but stops answering. */
  hang(): void {
    this.state.silent = true;
  }

  static async start(targetPort: number): Promise<CuttableProxy> {
    const sockets = new Set<Socket>();
    const state = { silent: false };
    const server = createServer((client) => {
      const broker = connect(targetPort, "127.0.0.1");
      for (const s of [client, broker]) {
        sockets.add(s);
        s.on("error", () => undefined);
        s.on("close", () => {
          sockets.delete(s);
          client.destroy();
          broker.destroy();
        });
      }
      client.pipe(broker);
      // Broker → gateway, unless the broker "hangs": then its answers (CONNACK, PUBACK) are swallowed.
      broker.on("data", (d: Buffer) => state.silent || client.write(d));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return new CuttableProxy(server, (server.address() as AddressInfo).port, sockets, state);
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Drops every connection at once, with no MQTT DISCONNECT: both ends see the network go. */
  cut(): void {
    for (const s of this.sockets) s.destroy();
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
