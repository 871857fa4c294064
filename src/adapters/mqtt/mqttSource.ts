/**
 * SensorSource over MQTT (mqtt.js): subscribes to the frame topics and turns each message into
 * a RawFrame. It parses nothing but the topic; a topic it cannot read becomes a Diagnostic.
 */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { Subject } from "rxjs";
import { readSecretFile } from "../../config/secrets.js";
import type { Diagnostic } from "../../core/errors.js";
import type { LinkState } from "../../core/link.js";
import type { RawFrame } from "../../core/model.js";
import type { Clock } from "../../ports/clock.js";
import type { SensorSource } from "../../ports/sensorSource.js";
import { routeTopic, subscriptionsFor } from "./topics.js";

export interface MqttSourceOptions {
  readonly url: string;
  readonly topicPrefix: string;
  readonly username?: string;
  readonly passwordFile?: string;
  /** The password itself (the embedded broker's, read by the gateway); wins over passwordFile. */
  readonly password?: string;
  readonly clientId?: string;
  /** Topic filters of Theengs Gateway / OpenMQTTGateway bridges (mqtt.bridges); none by default. */
  readonly bridges?: readonly string[];
}

const MAX_PAYLOAD = 64 * 1024; // no sensor frame comes near this; larger is a misbehaving client

export class MqttSource implements SensorSource {
  readonly frames$ = new Subject<RawFrame>();
  readonly diagnostics$ = new Subject<Diagnostic>();
  /** connect → up; close, offline or error → down (repeats are filtered by the link operator). */
  readonly link$ = new Subject<LinkState>();
  private client: MqttClient | undefined;

  constructor(private readonly options: MqttSourceOptions, private readonly clock: Clock) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  async start(): Promise<void> {
    const { url, username, passwordFile, password, topicPrefix } = this.options;
    const opts: IClientOptions = {
      // v3.1.1: the embedded aedes refuses MQTT 5 CONNECT; mosquitto speaks both.
      protocolVersion: 4,
      clientId: this.options.clientId ?? `vitals-gateway-${process.pid}`,
      clean: false, // keep our QoS 1 subscriptions across reconnects
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      ...(username === undefined ? {} : { username }),
      ...(password !== undefined ? { password } : passwordFile === undefined ? {} : { password: readSecretFile(passwordFile, "mqtt.passwordFile") }),
    };
    // An unreachable broker is no reason not to start: BLE sensors, the console and the open
    // alarms must not wait for it. start() returns once subscribed, or after the first failed
    // attempt (reported once per outage); mqtt.js retries every second and /readyz says broker: false.
    const client = mqtt.connect(url, { ...opts, resubscribe: false });
    this.client = client;
    client.on("message", (topic, payload) => this.onMessage(topic, payload));
    client.on("connect", () => this.link$.next({ up: true }));
    client.on("close", () => this.link$.next({ up: false, why: "connection closed" }));
    client.on("offline", () => this.link$.next({ up: false, why: "offline" }));
    client.on("error", (e) => this.link$.next({ up: false, why: (e as NodeJS.ErrnoException).code ?? e.message }));
    let outageReported = false;
    await new Promise<void>((ready) => {
      client.on("connect", () => {
        outageReported = false;
        // Every connect (the broker may have lost our session): SUBSCRIBE is idempotent.
        client.subscribeAsync(subscriptionsFor(topicPrefix, this.options.bridges), { qos: 1 }).then(
          () => ready(),
          (e: Error) => {
            this.diagnostics$.next({ code: "device_link", message: `MQTT subscribe refused by the broker: ${e.message}`, where: "mqtt" });
            ready();
          },
        );
      });
      client.on("error", (e) => {
        if (!outageReported) this.diagnostics$.next({ code: "device_link", message: `MQTT broker unreachable, retrying every second: ${e.message}`, where: "mqtt" });
        outageReported = true;
        ready();
      });
    });
  }

  async stop(): Promise<void> {
    await this.client?.endAsync();
    this.frames$.complete();
    this.diagnostics$.complete();
    this.link$.complete();
  }

  private onMessage(topic: string, payload: Buffer): void {
    const route = routeTopic(this.options.topicPrefix, topic, this.options.bridges);
    if (!route.ok) {
      this.diagnostics$.next({ code: "bad_payload", message: `MQTT topic '${topic}': ${route.why}`, where: "mqtt" });
      return;
    }
    const where = `device ${route.deviceId} mqtt topic ${topic}`;
    if (payload.length === 0 || payload.length > MAX_PAYLOAD) {
      this.diagnostics$.next({ code: "bad_payload", message: `MQTT payload of ${payload.length} bytes (expected 1..${MAX_PAYLOAD})`, where });
      return;
    }
    this.frames$.next({ deviceId: route.deviceId, source: route.source, channel: route.channel, bytes: new Uint8Array(payload), receivedAt: this.clock.now() });
  }
}
