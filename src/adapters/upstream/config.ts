/**
 * The `upstream` config block (DESIGN §6) and its checks. A bad URL, gateway id or unreadable
 * secret file is a config error at start (a clear message naming the field); an unreachable
 * broker is not: the gateway runs offline and the outbox fills.
 */
import { readFileSync } from "node:fs";
import type { IClientOptions } from "mqtt";

export interface UpstreamOptions {
  /** mqtt://host:port or mqtts://host:port (TLS). */
  readonly url: string;
  /** Opaque id of this gateway; part of every topic and payload. */
  readonly gatewayId: string;
  /** MQTT client id; default `vitals-gateway-<gatewayId>` (stable, so the session resumes). */
  readonly clientId?: string;
  readonly username?: string;
  /** File holding the password (never the password in the config). */
  readonly passwordFile?: string;
  /** PEM CA bundle to verify an mqtts:// broker (default: the system store). */
  readonly caFile?: string;
  /** Client certificate and key (PEM) for brokers that authenticate gateways by certificate. */
  readonly certFile?: string;
  readonly keyFile?: string;
  /** Default `gateways/<gatewayId>`. */
  readonly topicPrefix?: string;
  /** MQTT 5 Session Expiry Interval (s); default 7 days. 0 would end the session at disconnect. */
  readonly sessionExpirySeconds?: number;
  /** Publish readings as well as alerts (default true). */
  readonly publishReadings?: boolean;
  /** Readings per MQTT message (default 500). */
  readonly batchSize?: number;
  /** Unacknowledged QoS 1 messages at a time (default 10; mosquitto's receive maximum is 20). */
  readonly maxInFlight?: number;
  readonly maxQueuedRows?: number;
  readonly maxQueuedBytes?: number;
  /** How long a resolved alert stays retained on the broker (s, default 1 day). */
  readonly resolvedRetainSeconds?: number;
  readonly reconnectInitialMs?: number;
  readonly reconnectMaxMs?: number;
  readonly connectTimeoutMs?: number;
  /** MQTT keepalive (s): how soon a silent network loss is noticed (about 1.5 × this). */
  readonly keepaliveSeconds?: number;
  /** How long the link may be down before the technical condition `upstream_link` is raised. */
  readonly linkGraceSeconds?: number;
}

export const UPSTREAM_DEFAULTS = {
  sessionExpirySeconds: 7 * 24 * 3600,
  publishReadings: true,
  batchSize: 500,
  maxInFlight: 10,
  maxQueuedRows: 2_000_000, // ~ a 24 h outage for 5 patients × 6 vitals at 1 Hz (2.6 M) minus margin
  maxQueuedBytes: 512 * 2 ** 20,
  resolvedRetainSeconds: 24 * 3600,
  reconnectInitialMs: 1000,
  reconnectMaxMs: 60_000,
  connectTimeoutMs: 10_000,
  keepaliveSeconds: 30,
  linkGraceSeconds: 60,
} as const;

export type ResolvedUpstream = Required<Pick<UpstreamOptions, keyof typeof UPSTREAM_DEFAULTS | "topicPrefix" | "clientId">> & UpstreamOptions;

export class UpstreamConfigError extends Error {
  constructor(readonly field: string, why: string) {
    super(`upstream.${field}: ${why}`);
    this.name = "UpstreamConfigError";
  }
}

const ID = /^[A-Za-z0-9._-]{1,64}$/;

export function resolveUpstream(o: UpstreamOptions): ResolvedUpstream {
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw new UpstreamConfigError("url", `'${o.url}' is not a URL (expected mqtt://host:port or mqtts://host:port)`);
  }
  if (url.protocol !== "mqtt:" && url.protocol !== "mqtts:") throw new UpstreamConfigError("url", `scheme '${url.protocol}' not supported (expected mqtt: or mqtts:)`);
  if (url.hostname === "") throw new UpstreamConfigError("url", `'${o.url}' has no host`);
  if (url.username !== "" || url.password !== "") throw new UpstreamConfigError("url", "credentials in the URL are not allowed; use username and passwordFile");
  if (!ID.test(o.gatewayId)) throw new UpstreamConfigError("gatewayId", `'${o.gatewayId}' must be 1-64 of A-Z a-z 0-9 . _ -`);
  const topicPrefix = o.topicPrefix ?? `gateways/${o.gatewayId}`;
  if (topicPrefix === "" || /[+#\0]/.test(topicPrefix) || topicPrefix.endsWith("/")) throw new UpstreamConfigError("topicPrefix", `'${topicPrefix}' must be a non-empty topic without wildcards or a trailing /`);
  const r = { ...UPSTREAM_DEFAULTS, ...o, topicPrefix, clientId: o.clientId ?? `vitals-gateway-${o.gatewayId}` };
  for (const k of ["batchSize", "maxInFlight", "maxQueuedRows", "maxQueuedBytes", "reconnectInitialMs", "reconnectMaxMs", "connectTimeoutMs", "keepaliveSeconds"] as const) {
    if (!Number.isInteger(r[k]) || r[k] < 1) throw new UpstreamConfigError(k, `${r[k]} must be a positive integer`);
  }
  for (const k of ["sessionExpirySeconds", "resolvedRetainSeconds", "linkGraceSeconds"] as const) {
    // MQTT 5 §3.1.2.11.2 / §3.3.2.3.3: four-byte integers.
    if (!Number.isInteger(r[k]) || r[k] < 0 || r[k] > 0xffffffff) throw new UpstreamConfigError(k, `${r[k]} must be an integer 0..4294967295`);
  }
  if (o.passwordFile !== undefined && o.username === undefined) throw new UpstreamConfigError("username", "required with passwordFile");
  return r;
}

/** mqtt.js connect options for a resolved config; reads the secret files (errors name the field). */
export function clientOptions(r: ResolvedUpstream, will: { topic: string; payload: string }): IClientOptions {
  const file = (field: "passwordFile" | "caFile" | "certFile" | "keyFile"): string | undefined => {
    const path = r[field];
    if (path === undefined) return undefined;
    try {
      return readFileSync(path, "utf8");
    } catch (e) {
      throw new UpstreamConfigError(field, `cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  const password = file("passwordFile")?.trim();
  const ca = file("caFile");
  const cert = file("certFile");
  const key = file("keyFile");
  return {
    protocolVersion: 5,
    clientId: r.clientId,
    // MQTT 5 §3.1.2.4 Clean Start = 0 and §3.1.2.11.2 expiry > 0: the session survives a disconnect.
    clean: false,
    properties: { sessionExpiryInterval: r.sessionExpirySeconds },
    reconnectPeriod: 0, // reconnects are ours, with backoff (publisher.ts)
    connectTimeout: r.connectTimeoutMs,
    keepalive: r.keepaliveSeconds,
    will: { topic: will.topic, payload: Buffer.from(will.payload), qos: 1, retain: true },
    ...(r.username === undefined ? {} : { username: r.username }),
    ...(password === undefined ? {} : { password }),
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
  };
}
