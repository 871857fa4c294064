/**
 * The validated configuration, as the rest of the gateway sees it. Mirrors
 * config/gateway.schema.json (the source of truth); `load.ts` fills every default.
 */
import type { BleDeviceConfig } from "../adapters/ble/bleSource.js";
import type { AlertingConfig } from "../core/alerting/config.js";

import type { UpstreamOptions } from "../adapters/upstream/config.js";

export interface GatewayConfig {
  readonly dataDir: string;
  readonly http: { readonly host: string; readonly port: number; readonly maxWsMessageBytes: number; readonly allowedHosts: readonly string[] };
  readonly mqtt: {
    readonly url?: string;
    readonly username?: string;
    readonly passwordFile?: string;
    readonly embeddedHost: string;
    readonly embeddedPort: number;
    readonly embeddedUsername?: string;
    readonly embeddedPasswordFile?: string;
    readonly topicPrefix: string;
    /** Theengs Gateway / OpenMQTTGateway topic filters; [] = none. */
    readonly bridges: readonly string[];
    readonly clientId?: string;
    readonly protocolVersion?: 4 | 5;
    readonly sessionExpirySeconds: number;
    readonly keepaliveSeconds: number;
  };
  readonly ble: {
    readonly enabled: boolean;
    readonly adapter?: string;
    readonly busAddress?: string;
    readonly devices: readonly BleDeviceConfig[];
    readonly reconnect: { readonly initialMs: number; readonly maxMs: number };
  };
  readonly patients: readonly { readonly id: string; readonly label: string }[];
  readonly devices: readonly { readonly id: string; readonly patient: string }[];
  /** src/core/alerting/README.md; schema fragment from src/core/alerting/configSchema.ts. */
  readonly alerting: AlertingConfig;
  readonly anomaly: { readonly enabled: boolean; readonly modelDir: string; readonly budgetMs: number; readonly stepMs: number };
  /** DESIGN §6: absent = no upstream link. */
  readonly upstream?: UpstreamOptions;
  readonly storage: { readonly batchMs: number; readonly batchMax: number; readonly retentionDays: number };
  readonly auth: { readonly sessionIdleMinutes: number; readonly loginCodeMinutes: number };
  readonly demo: { readonly enabled: boolean; readonly speed: number; readonly loginLink: boolean };
  readonly logging: { readonly level: "debug" | "info" | "warn" | "error" };
}

/** One problem in a config file: a JSON path (`/devices/2/patient`) and what is wrong with it. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
  /** 1-based line in the YAML file, when known. */
  readonly line?: number;
}
