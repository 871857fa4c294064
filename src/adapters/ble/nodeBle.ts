/**
 * The only file that knows node-ble (chrvadala/node-ble 1.13, unmodified). It opens a session on
 * an injectable bus and works around the library's known gaps (research ble-devices.md §3.2-3.4):
 * no bus argument, no 'error' listener on the bus, listeners that outlive a connection, and calls
 * that can hang forever (gatt() waits for ServicesResolved with no timeout, issues #18/#25).
 */
import type { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import type nodeBle from "node-ble";

/**
 * node-ble (and dbus-next under it) is required on the first session, not at import: a gateway
 * without BLE never pays for it, and every restart reaches /livez sooner (issue 9, restart time).
 * It is CommonJS, so a synchronous require keeps openSession() synchronous.
 */
let library: typeof nodeBle | undefined;
const loadNodeBle = (): typeof nodeBle => (library ??= createRequire(import.meta.url)("node-ble") as typeof nodeBle);

export type Bluetooth = nodeBle.Bluetooth;
export type Adapter = nodeBle.Adapter;
export type Device = nodeBle.Device;
export type GattServer = nodeBle.GattServer;
export type GattCharacteristic = nodeBle.GattCharacteristic;

export interface BleSession {
  readonly bluetooth: Bluetooth;
  /** Closes the D-Bus connection; every node-ble object of this session is dead afterwards. */
  close(): void;
}

/**
 * node-ble's createBluetooth() takes no bus: it calls dbus-next systemBus(), which reads
 * DBUS_SYSTEM_BUS_ADDRESS synchronously (dbus-next/index.js). So we set the variable for the
 * duration of that synchronous call only, and put it back. `undefined` = the real system bus.
 */
export function openSession(busAddress: string | undefined, onBusError: (err: Error) => void): BleSession {
  const KEY = "DBUS_SYSTEM_BUS_ADDRESS";
  const prior = process.env[KEY];
  if (busAddress !== undefined) process.env[KEY] = busAddress;
  let session: { bluetooth: Bluetooth; destroy(): void };
  try {
    session = loadNodeBle().createBluetooth();
  } finally {
    if (prior === undefined) delete process.env[KEY];
    else process.env[KEY] = prior;
  }
  // node-ble attaches no 'error' listener to the MessageBus; a dead socket (daemon restart, wrong
  // address) would then be an uncaught exception. `dbus` is a public field of Bluetooth at runtime.
  let closing = false;
  let reported = false;
  const lost = (err: unknown): void => {
    if (closing || reported) return;
    reported = true;
    onBusError(err instanceof Error ? err : new Error(String(err)));
  };
  const bus = (session.bluetooth as unknown as { dbus?: BusInternals }).dbus;
  bus?.on("error", lost);
  // A dbus-daemon that exits closes the socket cleanly: dbus-next's connection emits 'end', which
  // its MessageBus does not forward, and the bus only errors on the next write (a watchdog read,
  // up to 15 s later). The socket (usocket) emits 'close' only once we close it ourselves.
  const closed = (): void => lost(new Error("the bus closed the connection (dbus-daemon stopped or restarted)"));
  bus?._connection?.once("end", closed);
  bus?._connection?.stream?.once("close", closed);
  return {
    bluetooth: session.bluetooth,
    close: () => {
      closing = true;
      session.destroy();
    },
  };
}

/** The parts of dbus-next 0.10's MessageBus we listen to (`_connection.stream` is the socket). */
type BusInternals = EventEmitter & { _connection?: EventEmitter & { stream?: EventEmitter } };

/**
 * Drop every listener of a node-ble Device or GattCharacteristic, including the PropertiesChanged
 * listener its private BusHelper keeps on the D-Bus proxy: otherwise a stale characteristic keeps
 * firing after a reconnect (issue #12) and each cycle leaks one (#29, #76, PR #83).
 */
export function dropListeners(obj: EventEmitter): void {
  obj.removeAllListeners();
  const helper = (obj as { helper?: { removeListeners?: () => void } }).helper;
  if (typeof helper?.removeListeners === "function") helper.removeListeners();
}

/** dbus-next DBusError names travel in `.type`. */
export const isBluezError = (e: unknown, name: string): boolean => (e as { type?: unknown } | null)?.type === `org.bluez.Error.${name}`;

export const isNotFound = (e: unknown): boolean => e instanceof Error && e.message === "Device not found";

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
