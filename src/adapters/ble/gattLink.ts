/**
 * One GATT sensor: find it, connect, subscribe to its health characteristics, hand on every value
 * as bytes, and when the link drops start over with backoff. node-ble has no reconnect, so this
 * is research ble-devices.md §3.4 step by step: fresh Device and characteristic objects on every
 * attempt, the old ones' listeners dropped, notifications started again (BlueZ resets Notifying).
 */
import type { Diagnostic } from "../../core/errors.js";
import type { RawFrame } from "../../core/model.js";
import type { Clock } from "../../ports/clock.js";
import { backoffDelay, type Backoff } from "./backoff.js";
import type { DiscoveryLease } from "./discovery.js";
import { Lifetime, Stopped, withTimeout } from "./lifetime.js";
import { dropListeners, errorText, isBluezError, isNotFound, type Adapter, type Device, type GattCharacteristic, type GattServer } from "./nodeBle.js";
import { initialStatus, type DeviceStatus, type LinkState } from "./status.js";
import { subscribeHealth } from "./subscribe.js";

export interface LinkTiming {
  /** Bound on each D-Bus step (Connect, service discovery, StartNotify, reads). */
  readonly operationMs: number;
  /** How long to scan for a device BlueZ does not know yet, per attempt. */
  readonly discoveryMs: number;
  readonly discoveryPollMs: number;
  /** node-ble's gatt() can miss the ServicesResolved signal and wait forever; it is asked again this often. */
  readonly servicesRetryMs: number;
  /** How often a connected link is re-checked (catches a bluetoothd restart, which sends no signal). */
  readonly watchdogMs: number;
  /** How often a state characteristic that cannot notify (Battery Level, read only) is read again. */
  readonly batteryPollMs: number;
  readonly backoff: Backoff;
}

export interface LinkSink {
  frame(f: RawFrame): void;
  diagnostic(d: Diagnostic): void;
  status(s: DeviceStatus): void;
}

export interface GattDeviceSpec {
  readonly address: string;
  readonly deviceId: string;
  readonly characteristics: readonly string[];
  /** The list came from config (absent ones are reported) rather than the default health set. */
  readonly explicit: boolean;
}

export class GattLink {
  private readonly life = new Lifetime();
  private status: DeviceStatus;
  private generation = 0;
  private loop: Promise<void> = Promise.resolve();
  private lost: (() => void) | undefined;
  private busGone: string | undefined = "D-Bus not connected yet";

  private adapter: Adapter | undefined;
  private discovery: DiscoveryLease | undefined;

  /** Starts detached (as if the bus were gone) until attach() gives it a BlueZ adapter. */
  constructor(
    private readonly spec: GattDeviceSpec,
    private readonly timing: LinkTiming,
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
    this.lost?.();
    await this.loop;
  }

  /** The D-Bus connection died: every object is dead and no retry can work; hold "disconnected" until attach() or stop(). */
  busLost(why: string): void {
    this.busGone = why;
    this.lost?.();
    this.life.interrupt(new Error(why));
  }

  /** A (new) D-Bus session: connect through this adapter from now on. */
  attach(adapter: Adapter, discovery: DiscoveryLease): void {
    this.adapter = adapter;
    this.discovery = discovery;
    this.busGone = undefined;
    this.life.interrupt(new Error("D-Bus connected")); // wakes the loop held while the bus was gone
  }

  private async run(): Promise<void> {
    while (!this.life.stopped) {
      if (this.busGone !== undefined) {
        this.setState("disconnected", [], this.busGone);
        while (this.busGone !== undefined && !this.life.stopped) await this.life.sleep(2 ** 31 - 1); // setTimeout's largest delay
        continue;
      }
      this.setState("connecting");
      const held: { device?: Device; chars: GattCharacteristic[] } = { chars: [] };
      try {
        const { lost } = await this.connectOnce(held);
        await lost;
        if (!this.life.stopped && this.busGone === undefined) this.report(`link lost`, "disconnected");
      } catch (e) {
        if (!(e instanceof Stopped) && this.busGone === undefined) this.fail(e);
      }
      await this.release(held);
      if (this.life.stopped) break;
      if (this.busGone === undefined) await this.life.sleep(backoffDelay(this.status.failures, this.timing.backoff));
    }
    this.setState("stopped");
  }

  /** Resolves once subscribed, with a promise that resolves when the link is lost (boxed: a returned promise would be awaited). */
  private async connectOnce(held: { device?: Device; chars: GattCharacteristic[] }): Promise<{ lost: Promise<void> }> {
    const gen = ++this.generation;
    const device = await this.find();
    held.device = device;
    const lost = new Promise<void>((resolve) => (this.lost = resolve));
    // node-ble emits 'disconnect' from PropertiesChanged(Connected=false), only on the instance we connect() (issue #27)
    device.on("disconnect", () => {
      if (gen === this.generation) this.lost?.();
    });
    // Still connected from before (a gateway restart does not drop the link): BlueZ answers LE
    // Connect with success, but accept AlreadyConnected too rather than retry forever.
    await this.step(device.connect(), "Connect").catch((e: unknown) => {
      if (!isBluezError(e, "AlreadyConnected")) throw e;
    });
    const gatt = await this.services(device);
    const channels = await subscribeHealth(gatt, {
      wanted: this.spec.characteristics,
      explicit: this.spec.explicit,
      held: held.chars,
      step: (p, what) => this.step(p, what),
      diag: (code, message) => this.diag(code, message),
      onValue: (channel, buf) => {
        if (gen === this.generation) this.emit(channel, buf); // stale objects keep firing (node-ble #12)
      },
      poll: (channel, read) => void this.poll(gen, channel, read),
    });
    this.status = { ...this.status, failures: 0 };
    this.setState("connected", channels);
    void this.watch(device, gen);
    return { lost };
  }

  /**
   * node-ble's gatt() reads ServicesResolved and, if false, only then starts listening for the
   * change (its own "TODO add lock to avoid race conditions"): when the signal lands in the same
   * socket read as the reply, it is missed and gatt() never returns (issues #18, #25). A fresh
   * gatt() reads the property again, so ask again every servicesRetryMs within operationMs.
   */
  private async services(device: Device): Promise<GattServer> {
    const { operationMs, servicesRetryMs } = this.timing;
    for (let spent = 0; ; spent += servicesRetryMs) {
      const last = spent + servicesRetryMs >= operationMs;
      try {
        return await this.life.run(device.gatt(), last ? operationMs - spent : servicesRetryMs, "service discovery (ServicesResolved)");
      } catch (e) {
        if (last || !(e instanceof Error) || !e.message.includes("timed out")) throw e;
      }
    }
  }

  /** The device object, scanning for it if BlueZ does not know it (unbonded and not seen lately). */
  private async find(): Promise<Device> {
    const { adapter, discovery } = this;
    if (!adapter || !discovery) throw new Error("no BlueZ adapter"); // unreachable: run() holds while detached
    try {
      return await this.step(adapter.getDevice(this.spec.address), "GetDevice");
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const release = discovery.acquire();
    try {
      for (let waited = 0; waited < this.timing.discoveryMs; waited += this.timing.discoveryPollMs) {
        await this.life.sleep(this.timing.discoveryPollMs);
        if (this.life.stopped) throw new Stopped();
        try {
          return await this.step(adapter.getDevice(this.spec.address), "GetDevice");
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
      throw new Error(`not found after scanning ${this.timing.discoveryMs} ms`);
    } finally {
      release();
    }
  }

  private async watch(device: Device, gen: number): Promise<void> {
    while (gen === this.generation && !this.life.stopped) {
      await this.life.sleep(this.timing.watchdogMs);
      if (gen !== this.generation || this.life.stopped) return;
      try {
        // typed Promise<string> in node-ble's .d.ts; it is the boolean Connected property
        const connected = (await this.step(device.isConnected(), "Connected")) as unknown;
        if (connected === true) continue;
      } catch (e) {
        if (e instanceof Stopped) return;
      }
      if (gen === this.generation) this.lost?.();
      return;
    }
  }

  /** Reads a state characteristic again every batteryPollMs while this connection (generation) lasts. */
  private async poll(gen: number, channel: string, read: () => Promise<Buffer>): Promise<void> {
    const current = (): boolean => gen === this.generation && !this.life.stopped && this.busGone === undefined;
    while (current()) {
      await this.life.sleep(this.timing.batteryPollMs);
      if (!current()) return;
      try {
        const value = await this.step(read(), `ReadValue ${channel}`);
        if (current()) this.emit(channel, value);
      } catch (e) {
        if (e instanceof Stopped) return;
        if (current()) this.diag("device_link", `characteristic ${channel}: ${errorText(e)}`); // the watchdog judges the link
      }
    }
  }

  private emit(channel: string, buf: Buffer): void {
    const where = `device ${this.spec.deviceId} ble characteristic ${channel}`;
    if (buf.length === 0) return this.sink.diagnostic({ code: "bad_payload", message: "BLE value of 0 bytes", where });
    this.sink.frame({ deviceId: this.spec.deviceId, source: "ble:gatt", channel, bytes: new Uint8Array(buf), receivedAt: this.clock.now() });
  }

  /** Drop the attempt's objects; on shutdown or a half-open link also ask BlueZ to disconnect. */
  private async release(held: { device?: Device; chars: GattCharacteristic[] }): Promise<void> {
    this.generation++;
    this.lost = undefined;
    const { device } = held;
    if (device && this.busGone === undefined) {
      try {
        const connected = (await withTimeout(device.isConnected(), this.timing.operationMs, "Connected")) as unknown;
        if (connected === true) await withTimeout(device.disconnect(), this.timing.operationMs, "Disconnect");
      } catch {
        // already gone (bluetoothd restarted, device removed): nothing to release on the BlueZ side
      }
    }
    if (device) dropListeners(device);
    for (const chr of held.chars) dropListeners(chr);
  }

  private fail(e: unknown): void {
    this.status = { ...this.status, failures: this.status.failures + 1 };
    this.report(errorText(e), "disconnected");
  }

  private report(why: string, state: LinkState): void {
    this.diag("device_link", why);
    this.setState(state, [], why);
  }

  private diag(code: Diagnostic["code"], message: string): void {
    this.sink.diagnostic({ code, message: `BLE ${this.spec.address}: ${message}`, where: `device ${this.spec.deviceId} ble` });
  }

  private setState(state: LinkState, channels: readonly string[] = [], lastError?: string): void {
    const { failures } = this.status;
    const error = lastError ?? this.status.lastError;
    this.status = { address: this.spec.address, deviceId: this.spec.deviceId, state, since: this.clock.now(), channels, failures, ...(error === undefined ? {} : { lastError: error }) };
    this.sink.status(this.status);
  }

  private step<T>(p: Promise<T>, what: string): Promise<T> {
    return this.life.run(p, this.timing.operationMs, what);
  }
}
