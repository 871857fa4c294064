/**
 * The org.bluez D-Bus objects of the fake, written from BlueZ's API docs (doc/org.bluez.*.rst)
 * with dbus-next's service Interface, the way the research probe does it. Only what node-ble
 * calls is here: node-ble walks the tree by introspection and listens to PropertiesChanged.
 */
import dbus from "dbus-next";

const { Interface } = dbus.interface;
const { Variant, DBusError } = dbus;
const ro = (signature: string): dbus.interface.PropertyOptions => ({ signature, access: "read" });

export const uuid128 = (uuid16: string): string => `0000${uuid16.toLowerCase()}-0000-1000-8000-00805f9b34fb`;

/** Required by node-ble: Bluetooth() binds its helper to /org/bluez with this interface. */
export class AgentManager1 extends Interface {
  constructor() {
    super("org.bluez.AgentManager1");
  }
  RegisterAgent(): void {}
  UnregisterAgent(): void {}
  RequestDefaultAgent(): void {}
}
AgentManager1.configureMembers({
  methods: {
    RegisterAgent: { inSignature: "os", outSignature: "" },
    UnregisterAgent: { inSignature: "o", outSignature: "" },
    RequestDefaultAgent: { inSignature: "o", outSignature: "" },
  },
});

export class Adapter1 extends Interface {
  discovering = false;
  filter: unknown = undefined;
  startCalls = 0;
  powered = true;
  constructor(private readonly onStartDiscovery: () => void) {
    super("org.bluez.Adapter1");
  }
  get Address(): string { return "00:11:22:33:44:55"; }
  get AddressType(): string { return "public"; }
  get Name(): string { return "fake-hci0"; }
  get Alias(): string { return "fake-hci0"; }
  get Powered(): boolean { return this.powered; }
  get Discovering(): boolean { return this.discovering; }
  SetDiscoveryFilter(filter: unknown): void {
    this.filter = filter;
  }
  StartDiscovery(): void {
    if (this.discovering) throw new DBusError("org.bluez.Error.InProgress", "Operation already in progress");
    this.discovering = true;
    this.startCalls++;
    Interface.emitPropertiesChanged(this, { Discovering: true }, []);
    this.onStartDiscovery();
  }
  StopDiscovery(): void {
    if (!this.discovering) throw new DBusError("org.bluez.Error.Failed", "No discovery started");
    this.discovering = false;
    Interface.emitPropertiesChanged(this, { Discovering: false }, []);
  }
}
Adapter1.configureMembers({
  properties: { Address: ro("s"), AddressType: ro("s"), Name: ro("s"), Alias: ro("s"), Powered: ro("b"), Discovering: ro("b") },
  methods: {
    SetDiscoveryFilter: { inSignature: "a{sv}", outSignature: "" },
    StartDiscovery: { inSignature: "", outSignature: "" },
    StopDiscovery: { inSignature: "", outSignature: "" },
  },
});

export interface DeviceHooks {
  connect(): void;
  disconnect(): void;
}

export class Device1 extends Interface {
  connected = false;
  resolved = false;
  manufacturerData: Record<number, Uint8Array> = {};
  serviceData: Record<string, Uint8Array> = {};
  constructor(readonly address: string, readonly name: string, private readonly hooks: DeviceHooks) {
    super("org.bluez.Device1");
  }
  get Address(): string { return this.address; }
  get AddressType(): string { return "random"; }
  get Name(): string { return this.name; }
  get Alias(): string { return this.name; }
  get RSSI(): number { return -60; }
  get Connected(): boolean { return this.connected; }
  get ServicesResolved(): boolean { return this.resolved; }
  get Paired(): boolean { return false; }
  get UUIDs(): string[] { return []; }
  // a{qv}: company id → bytes WITHOUT the id (BlueZ doc); needs intKeys.ts to be sent
  get ManufacturerData(): Record<number, InstanceType<typeof Variant>> {
    return Object.fromEntries(Object.entries(this.manufacturerData).map(([k, v]) => [k, new Variant("ay", Buffer.from(v))]));
  }
  // a{sv}: 128-bit service UUID → bytes (UUID not included)
  get ServiceData(): Record<string, InstanceType<typeof Variant>> {
    return Object.fromEntries(Object.entries(this.serviceData).map(([k, v]) => [uuid128(k), new Variant("ay", Buffer.from(v))]));
  }
  Connect(): void {
    this.hooks.connect();
  }
  Disconnect(): void {
    if (!this.connected) throw new DBusError("org.bluez.Error.NotConnected", "Not Connected");
    this.hooks.disconnect();
  }
}
Device1.configureMembers({
  properties: {
    Address: ro("s"), AddressType: ro("s"), Name: ro("s"), Alias: ro("s"), RSSI: ro("n"), Connected: ro("b"),
    ServicesResolved: ro("b"), Paired: ro("b"), UUIDs: ro("as"), ManufacturerData: ro("a{qv}"), ServiceData: ro("a{sv}"),
  },
  methods: { Connect: { inSignature: "", outSignature: "" }, Disconnect: { inSignature: "", outSignature: "" } },
});

export class GattService1 extends Interface {
  constructor(private readonly uuid: string, private readonly device: string) {
    super("org.bluez.GattService1");
  }
  get UUID(): string { return this.uuid; }
  get Primary(): boolean { return true; }
  get Device(): string { return this.device; }
}
GattService1.configureMembers({ properties: { UUID: ro("s"), Primary: ro("b"), Device: ro("o") } });

export class GattCharacteristic1 extends Interface {
  notifying = false;
  reads = 0;
  constructor(private readonly uuid: string, private readonly service: string, private readonly flags: string[], public value: Buffer, private readonly refuseNotify?: string) {
    super("org.bluez.GattCharacteristic1");
  }
  get UUID(): string { return this.uuid; }
  get Service(): string { return this.service; }
  get Flags(): string[] { return this.flags; }
  get Notifying(): boolean { return this.notifying; }
  get Value(): Buffer { return this.value; }
  ReadValue(): Buffer {
    if (!this.flags.includes("read")) throw new DBusError("org.bluez.Error.NotPermitted", "Read not permitted");
    this.reads++;
    return this.value;
  }
  WriteValue(v: Buffer): void {
    this.value = v;
  }
  StartNotify(): void {
    if (!this.flags.includes("notify") && !this.flags.includes("indicate")) throw new DBusError("org.bluez.Error.NotSupported", "Operation is not supported");
    if (this.refuseNotify !== undefined) throw new DBusError(this.refuseNotify, "Insufficient authentication");
    this.notifying = true;
    Interface.emitPropertiesChanged(this, { Notifying: true }, []);
  }
  StopNotify(): void {
    this.notifying = false;
  }
  /** BlueZ: "Value … gets updated … when a notification or indication is received, upon which a PropertiesChanged signal will be emitted". */
  push(bytes: Uint8Array): void {
    this.value = Buffer.from(bytes);
    Interface.emitPropertiesChanged(this, { Value: this.value }, []);
  }
}
GattCharacteristic1.configureMembers({
  properties: { UUID: ro("s"), Service: ro("o"), Flags: ro("as"), Notifying: ro("b"), Value: ro("ay") },
  methods: {
    ReadValue: { inSignature: "a{sv}", outSignature: "ay" },
    WriteValue: { inSignature: "aya{sv}", outSignature: "" },
    StartNotify: { inSignature: "", outSignature: "" },
    StopNotify: { inSignature: "", outSignature: "" },
  },
});

export { Interface };
export type ServiceInterface = InstanceType<typeof Interface>;
