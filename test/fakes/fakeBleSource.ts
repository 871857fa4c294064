/**
 * An in-process BLE SensorSource for unit tests (e.g. the lead's "sensor lost" alarm): the same
 * world description as the fake BlueZ, the same frames, diagnostics and per-device states as the
 * real BleSource, no D-Bus. It passes the same contract suite (test/adapters/ble/bleSource.contract.ts).
 */
import { Subject } from "rxjs";
import { HEALTH_CHARACTERISTICS, deviceIdOf } from "../../src/adapters/ble/uuids.js";
import type { BleDeviceConfig } from "../../src/adapters/ble/bleSource.js";
import type { DeviceStatus, LinkState } from "../../src/adapters/ble/status.js";
import type { Diagnostic } from "../../src/core/errors.js";
import type { RawFrame } from "../../src/core/model.js";
import type { Clock } from "../../src/ports/clock.js";
import type { LinkState as SourceLink } from "../../src/core/link.js";
import type { SensorSource } from "../../src/ports/sensorSource.js";
import type { FakeCharacteristic, FakeDevice } from "./fakeBluez/fakeBluez.js";

interface Link {
  readonly config: BleDeviceConfig;
  readonly world: FakeDevice | undefined;
  status: DeviceStatus;
  subscribed: Set<string>;
}

export class FakeBleSource implements SensorSource {
  readonly frames$ = new Subject<RawFrame>();
  readonly diagnostics$ = new Subject<Diagnostic>();
  readonly link$ = new Subject<SourceLink>();
  readonly status$ = new Subject<DeviceStatus>();
  connected = false;
  private readonly links: Link[];

  constructor(world: readonly FakeDevice[], devices: readonly BleDeviceConfig[], private readonly clock: Clock) {
    this.links = devices.map((config) => {
      const address = config.address.toUpperCase();
      const status: DeviceStatus = { address, deviceId: config.id ?? deviceIdOf(address), state: "disconnected", since: clock.now(), channels: [], failures: 0 };
      return { config, world: world.find((d) => d.address.toUpperCase() === address), status, subscribed: new Set<string>() };
    });
  }

  statuses(): DeviceStatus[] {
    return this.links.map((l) => l.status);
  }

  start(): Promise<void> {
    this.connected = true;
    this.link$.next({ up: true });
    for (const link of this.links) this.connect(link);
    return Promise.resolve();
  }

  stop(): Promise<void> {
    if (this.connected) for (const link of this.links) this.set(link, "stopped", []);
    this.connected = false;
    this.frames$.complete();
    this.diagnostics$.complete();
    this.link$.complete();
    this.status$.complete();
    return Promise.resolve();
  }

  notify(address: string, uuid16: string, bytes: Uint8Array): void {
    const link = this.link(address);
    if (!link.subscribed.has(uuid16)) throw new Error(`fake BLE: nobody subscribed to ${uuid16} on ${address}`);
    this.emit(link, uuid16, bytes);
  }

  /** The link drops; like the real adapter, it reconnects on its own (here on the next macrotask). */
  dropLink(address: string): void {
    const link = this.link(address);
    link.subscribed.clear();
    this.diag(link, "device_link", "link lost");
    this.set(link, "disconnected", [], "link lost");
    setTimeout(() => this.connected && this.connect(link), 0);
  }

  private connect(link: Link): void {
    this.set(link, "connecting", []);
    const chars = new Map<string, FakeCharacteristic>((link.world?.services ?? []).flatMap((s) => s.characteristics.map((c) => [c.uuid16, c] as const)));
    const wanted = link.config.characteristics ?? HEALTH_CHARACTERISTICS;
    if (link.config.characteristics) {
      const absent = wanted.filter((c) => !chars.has(c));
      if (absent.length > 0) this.diag(link, "config_invalid", `configured characteristic(s) ${absent.join(", ")} not on the device`);
    }
    const channels: string[] = [];
    for (const uuid of wanted) {
      const c = chars.get(uuid);
      if (c?.flags.includes("notify") || c?.flags.includes("indicate")) link.subscribed.add(uuid);
      else if (c?.flags.includes("read")) this.emit(link, uuid, c.value ?? new Uint8Array());
      else continue;
      channels.push(uuid);
    }
    if (channels.length === 0) return this.set(link, "disconnected", [], "no health characteristic delivers data");
    this.set(link, "connected", channels);
  }

  private emit(link: Link, channel: string, bytes: Uint8Array): void {
    const where = `device ${link.status.deviceId} ble characteristic ${channel}`;
    if (bytes.length === 0) return this.diagnostics$.next({ code: "bad_payload", message: "BLE value of 0 bytes", where });
    this.frames$.next({ deviceId: link.status.deviceId, source: "ble:gatt", channel, bytes: Uint8Array.from(bytes), receivedAt: this.clock.now() });
  }

  private diag(link: Link, code: Diagnostic["code"], message: string): void {
    this.diagnostics$.next({ code, message: `BLE ${link.status.address}: ${message}`, where: `device ${link.status.deviceId} ble` });
  }

  private set(link: Link, state: LinkState, channels: readonly string[], lastError?: string): void {
    const error = lastError ?? link.status.lastError;
    link.status = { ...link.status, state, channels, since: this.clock.now(), ...(error === undefined ? {} : { lastError: error }) };
    this.status$.next(link.status);
  }

  private link(address: string): Link {
    const link = this.links.find((l) => l.status.address === address.toUpperCase());
    if (!link) throw new Error(`fake BLE: no device ${address}`);
    return link;
  }
}
