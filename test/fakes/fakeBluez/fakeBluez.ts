/**
 * A fake BlueZ (org.bluez) on a private dbus-daemon, for driving UNMODIFIED node-ble in tests
 * (research ble-devices.md §4.2). It runs in the test process on its own bus connection, so every
 * call and signal between node-ble and the fake really crosses the daemon.
 *
 * Behaviour copied from bluetoothd: Connect sets Connected, then exports the GATT objects and
 * sets ServicesResolved; a link loss sets Connected=false / ServicesResolved=false and removes the
 * GATT objects of an unbonded device (they come back, with Notifying=false, on the next Connect).
 */
import dbus, { type MessageBus } from "dbus-next";
import { installIntKeyDicts } from "./intKeys.js";
import { Adapter1, AgentManager1, Device1, GattCharacteristic1, GattService1, Interface, uuid128, type ServiceInterface } from "./objects.js";

const { DBusError } = dbus;

export interface FakeCharacteristic {
  readonly uuid16: string;
  readonly flags: readonly string[];
  readonly value?: Uint8Array;
  /** StartNotify fails with this BlueZ error, e.g. Glucose on an unbonded link (org.bluez.Error.NotPermitted). */
  readonly refuseNotify?: string;
}
export interface FakeService {
  readonly uuid16: string;
  readonly characteristics: readonly FakeCharacteristic[];
}
export interface FakeDevice {
  readonly address: string;
  readonly name?: string;
  readonly services: readonly FakeService[];
  /** ServicesResolved turns true without a PropertiesChanged reaching the client (a signal lost in a race). */
  readonly silentResolve?: boolean;
  /** Still connected at start (left over from a previous gateway run); Connect then succeeds at once, as BlueZ does for LE, or fails with org.bluez.Error.AlreadyConnected when `alreadyConnectedError`. */
  readonly connected?: boolean;
  readonly alreadyConnectedError?: boolean;
  /** Known to bluetoothd at start (bonded / cached); otherwise it appears only after StartDiscovery. */
  readonly known?: boolean;
  readonly manufacturerData?: Record<number, Uint8Array>;
  readonly serviceData?: Record<string, Uint8Array>;
}

interface DeviceState {
  readonly spec: FakeDevice;
  readonly path: string;
  readonly device: Device1;
  exported: boolean;
  gatt: { path: string; iface: ServiceInterface }[];
  chars: Map<string, GattCharacteristic1>;
  failConnects: number;
  connectCalls: number;
}

export const devicePath = (address: string): string => `/org/bluez/hci0/dev_${address.toUpperCase().replace(/:/g, "_")}`;

export class FakeBluez {
  private readonly devices = new Map<string, DeviceState>();
  readonly adapter: Adapter1;

  private constructor(private readonly bus: MessageBus, specs: readonly FakeDevice[]) {
    this.adapter = new Adapter1(() => setTimeout(() => this.exportUnknownDevices(), 20));
    for (const spec of specs) {
      const path = devicePath(spec.address);
      const state: DeviceState = {
        spec, path, exported: false, gatt: [], chars: new Map(), failConnects: 0, connectCalls: 0,
        device: new Device1(spec.address.toUpperCase(), spec.name ?? "fake sensor", { connect: () => this.connect(state), disconnect: () => this.linkLoss(state) }),
      };
      state.device.manufacturerData = { ...spec.manufacturerData };
      state.device.serviceData = { ...spec.serviceData };
      this.devices.set(spec.address.toUpperCase(), state);
    }
  }

  static async start(busAddress: string, devices: readonly FakeDevice[], adapter: { powered?: boolean } = {}): Promise<FakeBluez> {
    installIntKeyDicts();
    const bus = dbus.sessionBus({ busAddress });
    bus.on("error", () => undefined); // the daemon may be killed under us (a dbus-daemon crash test); a test restarts a new fake
    const fake = new FakeBluez(bus, devices);
    fake.adapter.powered = adapter.powered ?? true;
    await bus.requestName("org.bluez", 0);
    bus.export("/org/bluez", new AgentManager1());
    bus.export("/org/bluez/hci0", fake.adapter);
    for (const d of fake.devices.values()) {
      if (d.spec.known !== false || d.spec.connected) fake.exportDevice(d);
      if (d.spec.connected) {
        d.device.connected = d.device.resolved = true;
        fake.exportGatt(d);
      }
    }
    return fake;
  }

  /** The device sends a notification/indication; false when nobody subscribed (nothing is sent). */
  notify(address: string, uuid16: string, bytes: Uint8Array): boolean {
    const chr = this.state(address).chars.get(uuid16.toLowerCase());
    if (!chr?.notifying) return false;
    chr.push(bytes);
    return true;
  }

  /** The device's value changes without a notification (a read-only Battery Level draining). */
  setValue(address: string, uuid16: string, bytes: Uint8Array): void {
    const chr = this.state(address).chars.get(uuid16.toLowerCase());
    if (!chr) throw new Error(`fake bluez: ${address} has no ${uuid16} exported`);
    chr.value = Buffer.from(bytes);
  }

  /** ReadValue calls on a characteristic since it was exported (this connection). */
  reads(address: string, uuid16: string): number {
    return this.state(address).chars.get(uuid16.toLowerCase())?.reads ?? 0;
  }

  isNotifying(address: string, uuid16: string): boolean {
    return this.state(address).chars.get(uuid16.toLowerCase())?.notifying ?? false;
  }

  /** Supervision timeout / device switched off: the link drops without anyone calling Disconnect. */
  dropLink(address: string): void {
    this.linkLoss(this.state(address));
  }

  /** The next n Connect calls fail like BlueZ ≥ 5.62 often does (research §3.3). */
  failNextConnects(address: string, n: number): void {
    this.state(address).failConnects = n;
  }

  connectCalls(address: string): number {
    return this.state(address).connectCalls;
  }

  isConnected(address: string): boolean {
    return this.state(address).device.connected;
  }

  /** A new advertisement was received: BlueZ updates the Device1 properties. */
  advertise(address: string, adv: { manufacturerData?: Record<number, Uint8Array>; serviceData?: Record<string, Uint8Array> }): void {
    const { device } = this.state(address);
    if (adv.manufacturerData) device.manufacturerData = adv.manufacturerData;
    if (adv.serviceData) device.serviceData = adv.serviceData;
    const changed: Record<string, unknown> = {};
    if (adv.manufacturerData) changed["ManufacturerData"] = device.ManufacturerData;
    if (adv.serviceData) changed["ServiceData"] = device.ServiceData;
    Interface.emitPropertiesChanged(device, changed, []);
  }

  /** How many clients are connected to the daemon (unique names), the fake included. */
  async busPeers(): Promise<number> {
    const daemon = await this.bus.getProxyObject("org.freedesktop.DBus", "/org/freedesktop/DBus");
    const iface = daemon.getInterface("org.freedesktop.DBus") as unknown as { ListNames(): Promise<string[]> };
    const names = await iface.ListNames();
    return names.filter((n) => n.startsWith(":")).length;
  }

  async stop(): Promise<void> {
    for (const d of this.devices.values()) for (const c of d.chars.values()) c.notifying = false;
    // On a killed daemon the call is never answered (dbus-next only emits 'error'): do not wait for it.
    const released = this.bus.releaseName("org.bluez").catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([released, new Promise((r) => (timer = setTimeout(r, 1_000)))]);
    clearTimeout(timer);
    this.bus.disconnect();
  }

  private state(address: string): DeviceState {
    const s = this.devices.get(address.toUpperCase());
    if (!s) throw new Error(`fake bluez: no device ${address}`);
    return s;
  }

  private exportUnknownDevices(): void {
    if (!this.adapter.discovering) return;
    for (const d of this.devices.values()) if (!d.exported) this.exportDevice(d);
  }

  private exportDevice(d: DeviceState): void {
    this.bus.export(d.path, d.device);
    d.exported = true;
  }

  private connect(d: DeviceState): void {
    d.connectCalls++;
    if (d.failConnects > 0) {
      d.failConnects--;
      throw new DBusError("org.bluez.Error.Failed", "le-connection-abort-by-local");
    }
    if (d.device.connected && d.spec.alreadyConnectedError) throw new DBusError("org.bluez.Error.AlreadyConnected", "Already Connected");
    if (d.device.connected) return;
    d.device.connected = true;
    Interface.emitPropertiesChanged(d.device, { Connected: true }, []);
    // Service discovery finishes after Connect returns on LE; node-ble's gatt() waits for this.
    setTimeout(() => {
      if (!d.device.connected) return;
      this.exportGatt(d);
      d.device.resolved = true;
      if (!d.spec.silentResolve) Interface.emitPropertiesChanged(d.device, { ServicesResolved: true }, []);
    }, d.spec.silentResolve ? 300 : 10);
  }

  private linkLoss(d: DeviceState): void {
    if (!d.device.connected) return;
    d.device.connected = false;
    d.device.resolved = false;
    Interface.emitPropertiesChanged(d.device, { Connected: false, ServicesResolved: false }, []);
    for (const { path, iface } of d.gatt) this.bus.unexport(path, iface);
    d.gatt = [];
    d.chars.clear();
  }

  private exportGatt(d: DeviceState): void {
    d.spec.services.forEach((svc, i) => {
      const svcPath = `${d.path}/service${(0x10 * (i + 1)).toString(16).padStart(4, "0")}`;
      const service = new GattService1(uuid128(svc.uuid16), d.path);
      this.bus.export(svcPath, service);
      d.gatt.push({ path: svcPath, iface: service });
      svc.characteristics.forEach((c, j) => {
        const path = `${svcPath}/char${(0x10 * (i + 1) + j + 1).toString(16).padStart(4, "0")}`;
        const chr = new GattCharacteristic1(uuid128(c.uuid16), svcPath, [...c.flags], Buffer.from(c.value ?? []), c.refuseNotify);
        this.bus.export(path, chr);
        d.gatt.push({ path, iface: chr });
        d.chars.set(c.uuid16.toLowerCase(), chr);
      });
    });
  }
}
