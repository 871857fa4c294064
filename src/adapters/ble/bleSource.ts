/**
 * SensorSource over Bluetooth LE: BlueZ over D-Bus through node-ble. GATT sensors are connected
 * and their health characteristics subscribed; broadcast sensors are read from their adverts.
 * Every value leaves as a RawFrame of bytes; nothing is parsed here. Per-device link state is on
 * `status$` (the hook for a "sensor lost" technical alarm; see README).
 */
import { Subject } from "rxjs";
import type { Diagnostic } from "../../core/errors.js";
import type { RawFrame } from "../../core/model.js";
import type { Clock } from "../../ports/clock.js";
import type { SensorSource } from "../../ports/sensorSource.js";
import type { LinkState } from "../../core/link.js";
import { AdvLink } from "./advLink.js";
import type { Backoff } from "./backoff.js";
import { DiscoveryLease } from "./discovery.js";
import { GattLink, type LinkSink, type LinkTiming } from "./gattLink.js";
import { withTimeout } from "./lifetime.js";
import { errorText, openSession, type BleSession } from "./nodeBle.js";
import type { DeviceStatus } from "./status.js";
import { deviceIdOf, HEALTH_CHARACTERISTICS, isAddress, UUID16 } from "./uuids.js";

export const BLE_MODES = ["gatt", "advertisement"] as const;
export type BleMode = (typeof BLE_MODES)[number];

export interface BleDeviceConfig {
  /** `AA:BB:CC:DD:EE:FF` */
  readonly address: string;
  /** RawFrame deviceId; default the address without colons, lower case. */
  readonly id?: string;
  /** `gatt` (default): connect and subscribe. `advertisement`: broadcast-only, never connect. */
  readonly mode?: BleMode;
  /** 16-bit characteristic UUIDs (`2a37`); default HEALTH_CHARACTERISTICS present on the device. */
  readonly characteristics?: readonly string[];
}

export interface BleSourceOptions {
  /** BlueZ adapter name (`hci0`); default the first adapter. */
  readonly adapter?: string;
  /** D-Bus address of the bus BlueZ is on; default the system bus (DBUS_SYSTEM_BUS_ADDRESS or /var/run/dbus). */
  readonly busAddress?: string;
  readonly devices: readonly BleDeviceConfig[];
  readonly reconnect?: Partial<Backoff>;
  readonly timing?: Partial<Omit<LinkTiming, "backoff"> & { advertisementPollMs: number }>;
}

export const DEFAULT_TIMING = {
  operationMs: 30_000, // BlueZ's own LE connect gives up after about 20 s
  discoveryMs: 30_000,
  discoveryPollMs: 1_000,
  servicesRetryMs: 2_000,
  watchdogMs: 15_000,
  advertisementPollMs: 1_000,
  backoff: { initialMs: 1_000, maxMs: 60_000 },
} as const;

/** Refuses a bad device list with a message naming the entry; for config checking too. */
export function validateBleDevices(devices: readonly BleDeviceConfig[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  devices.forEach((d, i) => {
    const at = `ble.devices[${i}]`;
    if (!isAddress(d.address)) problems.push(`${at}.address '${d.address}' is not AA:BB:CC:DD:EE:FF`);
    if (seen.has(d.address.toUpperCase())) problems.push(`${at}.address ${d.address} is listed twice`);
    seen.add(d.address.toUpperCase());
    for (const c of d.characteristics ?? []) if (!UUID16.test(c)) problems.push(`${at}.characteristics '${c}' is not a lower-case 16-bit UUID like 2a37`);
    if (d.mode !== undefined && !(BLE_MODES as readonly string[]).includes(d.mode)) problems.push(`${at}.mode '${String(d.mode)}' is not one of ${BLE_MODES.join(", ")}`);
    if (d.mode === "advertisement" && d.characteristics !== undefined) problems.push(`${at}: characteristics apply to mode gatt only`);
  });
  return problems;
}

export class BleSource implements SensorSource {
  readonly frames$ = new Subject<RawFrame>();
  readonly diagnostics$ = new Subject<Diagnostic>();
  /** Every per-device state change (connecting / connected / disconnected / stopped). */
  readonly status$ = new Subject<DeviceStatus>();
  /** BlueZ over D-Bus: up once start() reached the adapter, down when that fails or the bus drops. */
  readonly link$ = new Subject<LinkState>();
  private session: BleSession | undefined;
  private discovery: DiscoveryLease | undefined;
  private links: (GattLink | AdvLink)[] = [];
  private busUp = false;

  constructor(private readonly options: BleSourceOptions, private readonly clock: Clock) {
    const problems = validateBleDevices(options.devices);
    if (problems.length > 0) throw new Error(`BLE config: ${problems.join("; ")}`);
  }

  /** True from a successful start() until stop() or the D-Bus connection fails. Per device: statuses(). */
  get connected(): boolean {
    return this.busUp;
  }

  statuses(): DeviceStatus[] {
    return this.links.map((l) => l.current);
  }

  /** Resolves once BlueZ and the adapter answer; sensors connect in the background. */
  async start(): Promise<void> {
    const timing = { ...DEFAULT_TIMING, ...this.options.timing, backoff: { ...DEFAULT_TIMING.backoff, ...this.options.reconnect } };
    // A bus that cannot connect (no socket, policy refusal) fails start() at once, not after a timeout.
    let busFailed: (err: Error) => void = () => undefined;
    const busDown = new Promise<never>((_, reject) => (busFailed = reject));
    busDown.catch(() => undefined);
    this.session = openSession(this.options.busAddress, (err) => {
      busFailed(err);
      this.onBusError(err);
    });
    try {
      const { bluetooth } = this.session;
      const name = this.options.adapter;
      const lookup = name === undefined ? bluetooth.defaultAdapter() : bluetooth.getAdapter(name);
      const adapter = await Promise.race([withTimeout(lookup, timing.operationMs, "BlueZ adapter lookup"), busDown]);
      // An unpowered adapter only makes every Connect fail ("Resource Not Ready"): say why up front.
      if (!(await withTimeout(adapter.isPowered(), timing.operationMs, "Powered"))) {
        this.diagnostics$.next({ code: "device_link", message: `BLE adapter ${name ?? "(default)"} is powered off: set AutoEnable=true in /etc/bluetooth/main.conf or run 'bluetoothctl power on'`, where: "ble" });
      }
      const discovery = (this.discovery = new DiscoveryLease(adapter, timing.operationMs, (message) => this.diagnostics$.next({ code: "device_link", message, where: "ble" })));
      const sink: LinkSink = { frame: (f) => this.frames$.next(f), diagnostic: (d) => this.diagnostics$.next(d), status: (s) => this.status$.next(s) };
      this.links = this.options.devices.map((d) => {
        const address = d.address.toUpperCase();
        const deviceId = d.id ?? deviceIdOf(address);
        if (d.mode === "advertisement") return new AdvLink({ address, deviceId }, adapter, discovery, timing, this.clock, sink);
        const characteristics = (d.characteristics ?? HEALTH_CHARACTERISTICS).map((c) => c.toLowerCase());
        return new GattLink({ address, deviceId, characteristics, explicit: d.characteristics !== undefined }, adapter, discovery, timing, this.clock, sink);
      });
    } catch (e) {
      this.session.close();
      this.session = undefined;
      this.link$.next({ up: false, why: errorText(e) });
      throw new Error(`BLE: cannot reach BlueZ${this.options.adapter ? ` adapter ${this.options.adapter}` : ""}: ${errorText(e)}`);
    }
    this.busUp = true;
    this.link$.next({ up: true });
    for (const link of this.links) link.start();
  }

  /** Disconnects every sensor, stops our scan, closes D-Bus; then frames$, diagnostics$ and status$ complete. */
  async stop(): Promise<void> {
    await Promise.all(this.links.map((l) => l.stop()));
    if (this.busUp) await this.discovery?.close(); // on a dead bus there is no scan left to stop
    this.session?.close();
    this.session = undefined;
    this.busUp = false;
    this.frames$.complete();
    this.diagnostics$.complete();
    this.status$.complete();
    this.link$.complete();
  }

  private onBusError(err: Error): void {
    const message = `BLE D-Bus connection: ${err.message}`;
    if (this.busUp) this.diagnostics$.next({ code: "device_link", message, where: "ble" });
    this.busUp = false;
    this.link$.next({ up: false, why: err.message });
    for (const link of this.links) link.busLost(message);
  }
}
