/**
 * How the gateway's own MQTT client connects for ingest, from the config: a stable client id
 * (clientId.ts), MQTT 5 with a session expiry for an external broker, 3.1.1 for the embedded
 * aedes (which refuses MQTT 5), and a short keepalive so a stalled path is noticed.
 */
import type { GatewayConfig } from "../../config/types.js";
import { stableClientId } from "./clientId.js";
import type { MqttSourceOptions } from "./mqttSource.js";

export function ingestLink(config: GatewayConfig): Omit<MqttSourceOptions, "url"> {
  const m = config.mqtt;
  return {
    topicPrefix: m.topicPrefix,
    clientId: stableClientId(config.dataDir, m.clientId),
    protocolVersion: m.protocolVersion ?? (m.url === undefined ? 4 : 5),
    sessionExpirySeconds: m.sessionExpirySeconds,
    keepaliveSeconds: m.keepaliveSeconds,
    bridges: m.bridges,
  };
}
