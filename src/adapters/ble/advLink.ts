/**
 * One broadcast-only sensor (Polar H10 adverts, Xiaomi scales): no connection, its readings ride
 * in advertisements. node-ble has no advertisement events (research §3.5): it can only read the
 * Device1 ManufacturerData / ServiceData properties, which bluetoothd updates from the latest
 * advert while we hold a discovery session. So we poll those properties and hand on an entry only
 * when its bytes CHANGE. Re-sending unchanged bytes would turn one stale advert (bluetoothd keeps
 * the last one until it drops the device) into a stream of fresh-looking readings.
 */
import type { RawFrame } from "../../core/model.js";
import type { Clock } from "../../ports/clock.js";
import type { DiscoveryLease } from "./discovery.js";
import type { LinkSink, LinkTiming } from "./gattLink.js";
import { Lifetime, Stopped } from "./lifetime.js";
import { dropListeners, errorText, isNotFound, type Adapter, type Device } from "./nodeBle.js";
import { initialStatus, type DeviceStatus, type LinkState } from "./status.js";
import { uuid16Of } from "./uuids.js";

export interface AdvDeviceSpec {
  readonly address: string;
  readonly deviceId: string;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

export class AdvLink {
  private readonly life = new Lifetime();
  private readonly last = new Map<string, string>();
  private device: Device | undefined;
  private loop: Promise<void> = Promise.resolve();
  private release: (() => void) | undefined;
  private status: DeviceStatus;
  private busGone: string | undefined = "D-Bus not connected yet";
  private adapter: Adapter | undefined;

  /** Starts detached (as if the bus were gone) until attach() gives it a BlueZ adapter. */
  constructor(
    private readonly spec: AdvDeviceSpec,
    private readonly timing: LinkTiming & { readonly advertisementPollMs: number },
    private readonly clock: Clock,
    private readonly sink: LinkSink,
  ) {
    this.status = initialStatus(spec, clock.now());
  }

  get current(): DeviceStatus {
    return this.status;
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.life.stop();
    await this.loop;
    this.release?.();
    if (this.device) dropListeners(this.device);
    this.setState("stopped");
  }

  /** The D-Bus connection died: hold "disconnected" until attach() or stop(). Its scan died with it. */
  busLost(why: string): void {
    this.busGone = why;
    this.release = undefined; // the lease belonged to the dead session (DiscoveryLease.abandon)
    if (this.device) dropListeners(this.device);
    this.device = undefined;
    this.life.interrupt(new Error(why));
  }

  /** A (new) D-Bus session: keep a scan running on it and read adverts through this adapter. */
  attach(adapter: Adapter, discovery: DiscoveryLease): void {
    this.adapter = adapter;
    this.release = discovery.acquire();
    this.busGone = undefined;
    if (this.status.state !== "connected") this.setState("connecting");
    this.life.interrupt(new Error("D-Bus connected")); // wakes the loop held while the bus was gone
  }

  private async run(): Promise<void> {
    while (!this.life.stopped) {
      if (this.busGone !== undefined) {
        if (this.status.state !== "disconnected") this.setState("disconnected", this.busGone);
        await this.life.sleep(2 ** 31 - 1);
        continue;
      }
      try {
        await this.poll();
      } catch (e) {
        if (e instanceof Stopped) return;
        if (this.device) dropListeners(this.device);
        this.device = undefined;
        // not (or no longer) in BlueZ's device list: out of range for longer than its TemporaryTimeout
        if (this.status.state !== "disconnected") this.setState("disconnected", isNotFound(e) ? "not seen" : errorText(e));
      }
      await this.life.sleep(this.timing.advertisementPollMs);
    }
  }

  private async poll(): Promise<void> {
    // One Device object per sighting: each new one adds a PropertiesChanged listener on the bus.
    if (!this.adapter) throw new Error("no BlueZ adapter"); // unreachable: run() holds while detached
    this.device ??= await this.step(this.adapter.getDevice(this.spec.address), "GetDevice");
    const manufacturer = await this.optional(this.device.getManufacturerData());
    const service = await this.optional(this.device.getServiceData());
    if (this.status.state !== "connected") this.setState("connected");
    for (const [id, value] of Object.entries(manufacturer)) {
      const company = Number(id);
      // model.ts: manufacturer_data frames carry the company id, 2 bytes little-endian, first
      this.offer(`m:${id}`, "manufacturer_data", Uint8Array.from([company & 0xff, company >> 8, ...(value as Uint8Array)]));
    }
    for (const [uuid, value] of Object.entries(service)) {
      const u16 = uuid16Of(uuid);
      if (u16 !== undefined) this.offer(`s:${u16}`, `service_data:${u16}`, Uint8Array.from(value as Uint8Array));
    }
  }

  private offer(key: string, channel: string, bytes: Uint8Array): void {
    if (bytes.length === 0 || this.last.get(key) === hex(bytes)) return;
    this.last.set(key, hex(bytes));
    const frame: RawFrame = { deviceId: this.spec.deviceId, source: "ble:adv", channel, bytes, receivedAt: this.clock.now() };
    this.sink.frame(frame);
  }

  /** bluetoothd omits ManufacturerData / ServiceData when the device sent none: that is `{}`. */
  private async optional(p: Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
    try {
      return await this.step(p, "advertisement data");
    } catch (e) {
      if ((e as { type?: unknown } | null)?.type === "org.freedesktop.DBus.Error.InvalidArgs") return {};
      throw e;
    }
  }

  private setState(state: LinkState, lastError?: string): void {
    const channels = state === "connected" ? ["advertisement"] : [];
    const error = lastError ?? this.status.lastError;
    this.status = { ...this.status, state, since: this.clock.now(), channels, ...(error === undefined ? {} : { lastError: error }) };
    this.sink.status(this.status);
  }

  private step<T>(p: Promise<T>, what: string): Promise<T> {
    return this.life.run(p, this.timing.operationMs, what);
  }
}
