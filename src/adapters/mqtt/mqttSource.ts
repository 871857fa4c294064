/**
 * SensorSource over MQTT (mqtt.js): subscribes to the frame topics and turns each message into
 * a RawFrame. It parses nothing but the topic; a topic it cannot read becomes a Diagnostic.
 * QoS 1 messages are acknowledged only once what they carried is committed (deferredAcks.ts).
 */
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from "mqtt";
import { BehaviorSubject, Subject } from "rxjs";
import { readSecretFile } from "../../config/secrets.js";
import type { Diagnostic } from "../../core/errors.js";
import type { LinkState } from "../../core/link.js";
import type { RawFrame } from "../../core/model.js";
import type { Clock } from "../../ports/clock.js";
import type { SensorSource } from "../../ports/sensorSource.js";
import { DEFERRED, DeferredAcks } from "./deferredAcks.js";
import { routeTopic, subscriptionsFor } from "./topics.js";

export interface MqttSourceOptions {
  readonly url: string;
  readonly topicPrefix: string;
  readonly username?: string;
  readonly passwordFile?: string;
  /** The password itself (the embedded broker's, read by the gateway); wins over passwordFile. */
  readonly password?: string;
  /** Stable across restarts, or the broker's session (and what it queued) is lost: clientId.ts. */
  readonly clientId: string;
  /** 5 for external brokers (session expiry, receive maximum); the embedded aedes speaks only 4. */
  readonly protocolVersion?: 4 | 5;
  /** MQTT 5 Session Expiry Interval: how long the broker keeps our session and queue while we are away. */
  readonly sessionExpirySeconds?: number;
  /** A path that stalls (no FIN, no RST) is declared down after 1.5× this (mqtt.js keepalive). */
  readonly keepaliveSeconds?: number;
  /** Topic filters of Theengs Gateway / OpenMQTTGateway bridges (mqtt.bridges); none by default. */
  readonly bridges?: readonly string[];
}

const MAX_PAYLOAD = 64 * 1024; // no sensor frame comes near this; larger is a misbehaving client
/** MQTT 5 Receive Maximum: unacknowledged messages the broker may send us (a batch or two). */
const RECEIVE_MAXIMUM = 65_535;

export class MqttSource implements SensorSource {
  readonly frames$ = new Subject<RawFrame>();
  readonly diagnostics$ = new Subject<Diagnostic>();
  readonly link$ = new BehaviorSubject<LinkState>({ up: false, why: "not connected yet" });
  readonly acks = new DeferredAcks();
  private client: MqttClient | undefined;

  constructor(private readonly options: MqttSourceOptions, private readonly clock: Clock) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  async start(): Promise<void> {
    const { url, username, passwordFile, password, topicPrefix, protocolVersion = 4 } = this.options;
    const opts: IClientOptions = {
      protocolVersion,
      clientId: this.options.clientId,
      clean: false, // keep our QoS 1 subscriptions and the broker's queue across reconnects and restarts
      ...(protocolVersion === 5 ? { properties: { sessionExpiryInterval: this.options.sessionExpirySeconds ?? 604_800, receiveMaximum: RECEIVE_MAXIMUM } } : {}),
      keepalive: this.options.keepaliveSeconds ?? 10,
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
    client.handleMessage = (packet, callback) => {
      if (packet.cmd === "publish" && packet.qos === 1) {
        this.acks.received(client.stream, packet);
        callback(DEFERRED);
      } else callback();
    };
    client.on("message", (topic, payload, packet) => this.onMessage(topic, payload, packet));
    let outageReported = false;
    let lastError = "connection closed";
    client.on("close", () => {
      this.acks.connectionLost();
      if (this.link$.value.up) this.link$.next({ up: false, why: lastError });
    });
    await new Promise<void>((ready) => {
      client.on("connect", (connack) => {
        outageReported = false;
        lastError = "connection closed";
        if (!connack.sessionPresent) this.acks.sessionLost();
        this.link$.next({ up: true });
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
        lastError = e.message;
        if (!outageReported) this.diagnostics$.next({ code: "device_link", message: `MQTT broker unreachable, retrying every second: ${e.message}`, where: "mqtt" });
        if (this.link$.value.up || this.link$.value.why !== e.message) this.link$.next({ up: false, why: e.message });
        outageReported = true;
        ready();
      });
    });
  }

  async stop(): Promise<void> {
    // Sources complete first: the last batch is committed and acknowledged while the link is open.
    this.frames$.complete();
    await this.client?.endAsync();
    this.diagnostics$.complete();
    this.link$.complete(); // after a last "down" from the close: subscribers apply their grace, then unsubscribe
  }

  private onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    if (this.acks.isRedelivery(packet)) return; // already in the pipeline: acknowledged with it
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
