/**
 * SensorSource over Bluetooth LE: BlueZ over D-Bus through node-ble. GATT sensors are connected
 * and their health characteristics subscribed; broadcast sensors are read from their adverts.
 * Every value leaves as a RawFrame of bytes; nothing is parsed here. Per-device link state is on
 * `status$` (the hook for a "sensor lost" technical alarm; see README).
 */
import { Subject } from "rxjs";
import type { Diagnostic } from "../../core/errors.js";
import type { LinkState } from "../../core/link.js";
import type { RawFrame } from "../../core/model.js";
import type { Clock } from "../../ports/clock.js";
import type { SensorSource } from "../../ports/sensorSource.js";
import { AdvLink } from "./advLink.js";
import type { Backoff } from "./backoff.js";
import { DiscoveryLease } from "./discovery.js";
import { backoffDelay } from "./backoff.js";
import { GattLink, type LinkSink, type LinkTiming } from "./gattLink.js";
import { Lifetime, Stopped } from "./lifetime.js";
import { errorText, openSession, type Adapter, type BleSession } from "./nodeBle.js";
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
  batteryPollMs: 300_000, // battery drains over hours; a read every 5 min costs the sensor next to nothing
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

/** Whether BlueZ can be reached; `lost` = it could before (the D-Bus connection died), else it never could since start(). */

export class BleSource implements SensorSource {
  readonly frames$ = new Subject<RawFrame>();
  readonly diagnostics$ = new Subject<Diagnostic>();
  /** Every per-device state change (connecting / connected / disconnected / stopped). */
  readonly status$ = new Subject<DeviceStatus>();
  /** BlueZ over D-Bus: every change of reachability, the first attempt's outcome included (the "Bluetooth unavailable" alarm). */
  readonly link$ = new Subject<LinkState>();
  private readonly life = new Lifetime();
  private readonly timing: LinkTiming & { readonly advertisementPollMs: number };
  private session: BleSession | undefined;
  private discovery: DiscoveryLease | undefined;
  private links: (GattLink | AdvLink)[] = [];
  private supervisor: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private busUp = false;
  private everUp = false;
  private lastProblem: string | undefined;

  constructor(private readonly options: BleSourceOptions, private readonly clock: Clock) {
    const problems = validateBleDevices(options.devices);
    if (problems.length > 0) throw new Error(`BLE config: ${problems.join("; ")}`);
    this.timing = { ...DEFAULT_TIMING, ...options.timing, backoff: { ...DEFAULT_TIMING.backoff, ...options.reconnect } };
  }

  /** True while the D-Bus session to BlueZ is up (from start() or a reconnect, until it dies or stop()). Per device: statuses(). */
  get connected(): boolean {
    return this.busUp;
  }

  statuses(): DeviceStatus[] {
    return this.links.map((l) => l.current);
  }

  /**
   * Resolves once BlueZ and the adapter answer; sensors connect in the background. Rejects at once
   * with a clear error if they do not, and then keeps trying (backoff) until stop(): bluetoothd may
   * come up after us at boot. A lost D-Bus connection is reopened the same way.
   */
  async start(): Promise<void> {
    const sink: LinkSink = { frame: (f) => this.frames$.next(f), diagnostic: (d) => this.diagnostics$.next(d), status: (s) => this.status$.next(s) };
    this.links = this.options.devices.map((d) => {
      const address = d.address.toUpperCase();
      const deviceId = d.id ?? deviceIdOf(address);
      if (d.mode === "advertisement") return new AdvLink({ address, deviceId }, this.timing, this.clock, sink);
      const characteristics = (d.characteristics ?? HEALTH_CHARACTERISTICS).map((c) => c.toLowerCase());
      return new GattLink({ address, deviceId, characteristics, explicit: d.characteristics !== undefined }, this.timing, this.clock, sink);
    });
    let first: Error | undefined;
    try {
      await this.connect();
    } catch (e) {
      first = new Error(this.unreachable(e));
      this.down(first.message);
    }
    for (const link of this.links) link.start();
    this.supervisor = this.supervise(first === undefined ? 0 : 1);
    if (first) throw first;
  }

  /** Disconnects every sensor, stops our scan, closes D-Bus; then every stream completes. */
  async stop(): Promise<void> {
    this.life.stop();
    this.wake?.();
    await this.supervisor;
    await Promise.all(this.links.map((l) => l.stop()));
    if (this.busUp) await this.discovery?.close(); // on a dead bus there is no scan left to stop
    this.session?.close();
    this.session = undefined;
    this.busUp = false;
    for (const s of [this.frames$, this.diagnostics$, this.status$, this.link$]) s.complete();
  }

  /** Waits for the session to die, then reopens it with backoff (reconnect.initialMs … maxMs). */
  private async supervise(failures: number): Promise<void> {
    while (!this.life.stopped) {
      if (this.busUp) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        failures = 0;
        continue;
      }
      await this.life.sleep(backoffDelay(failures, this.timing.backoff));
      if (this.life.stopped) return;
      try {
        await this.connect();
      } catch (e) {
        if (e instanceof Stopped) return;
        failures++;
        this.down(this.unreachable(e));
      }
    }
  }

  /** One attempt: a fresh D-Bus session, the adapter, a scan lease; on success every link is attached to it. */
  private async connect(): Promise<void> {
    const { operationMs } = this.timing;
    // A bus that cannot connect (no socket, policy refusal) fails the attempt at once, not after a timeout.
    let busFailed: (err: Error) => void = () => undefined;
    const busDown = new Promise<never>((_, reject) => (busFailed = reject));
    busDown.catch(() => undefined);
    const session: BleSession = openSession(this.options.busAddress, (err) => {
      busFailed(err);
      if (this.session === session) this.onServiceLost(`BLE D-Bus connection: ${err.message}`);
    });
    try {
      const name = this.options.adapter;
      const lookup = name === undefined ? session.bluetooth.defaultAdapter() : session.bluetooth.getAdapter(name);
      const adapter = await Promise.race([this.life.run(lookup, operationMs, "BlueZ adapter lookup"), busDown]);
      // An unpowered adapter only makes every Connect fail ("Resource Not Ready"): say why up front.
      if (!(await Promise.race([this.life.run(adapter.isPowered(), operationMs, "Powered"), busDown]))) {
        this.diagnostics$.next({ code: "device_link", message: `BLE adapter ${name ?? "(default)"} is powered off: set AutoEnable=true in /etc/bluetooth/main.conf or run 'bluetoothctl power on'`, where: "ble" });
      }
      this.discovery = new DiscoveryLease(adapter, operationMs, (message) => this.diagnostics$.next({ code: "device_link", message, where: "ble" }));
      this.session = session;
      this.busUp = this.everUp = true;
      this.lastProblem = undefined;
      for (const link of this.links) link.attach(adapter, this.discovery);
      this.link$.next({ up: true });
      void this.probe(adapter, session);
    } catch (e) {
      session.close();
      throw e;
    }
  }

  /**
   * bluetoothd gone (crash, `systemctl stop bluetooth`) or the adapter unplugged leave the bus up
   * and send us nothing; ask the adapter every watchdogMs and treat no answer like a lost bus.
   */
  private async probe(adapter: Adapter, session: BleSession): Promise<void> {
    while (this.session === session && !this.life.stopped) {
      await this.life.sleep(this.timing.watchdogMs);
      if (this.session !== session || this.life.stopped) return;
      try {
        await this.life.run(adapter.isPowered(), this.timing.operationMs, "Powered");
      } catch (e) {
        if (e instanceof Stopped) return;
        if (this.session === session) this.onServiceLost(`BLE: BlueZ adapter ${this.options.adapter ?? "(default)"} stopped answering: ${errorText(e)}`);
      }
    }
  }

  /** The live session is of no more use (bus closed, BlueZ gone): hold every device lost and let supervise() open a new one. */
  private onServiceLost(reason: string): void {
    this.busUp = false;
    this.discovery?.abandon();
    this.session?.close();
    this.session = undefined;
    this.down(reason);
    this.wake?.();
  }

  private down(reason: string): void {
    for (const link of this.links) link.busLost(reason);
    // Retries fail the same way every backoff: report a reason once, not once a minute forever.
    if (reason !== this.lastProblem) this.diagnostics$.next({ code: "device_link", message: reason, where: "ble" });
    const changed = this.lastProblem === undefined;
    this.lastProblem = reason;
    if (changed) this.link$.next({ up: false, why: this.everUp ? `service lost: ${reason}` : reason });
  }

  private unreachable(e: unknown): string {
    return `BLE: cannot reach BlueZ${this.options.adapter ? ` adapter ${this.options.adapter}` : ""}: ${errorText(e)}`;
  }
}
