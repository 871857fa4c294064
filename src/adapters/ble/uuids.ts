/** Bluetooth addresses and SIG UUIDs as the BLE adapter needs them; framing only, nothing decoded. */

/**
 * Health characteristics the drivers in devices/bt-sig/ decode (GSS; research ble-devices.md §1).
 * Subscribed by default when a device entry lists none.
 */
export const HEALTH_CHARACTERISTICS = [
  "2a37", // Heart Rate Measurement (notify)
  "2a1c", // Temperature Measurement (indicate)
  "2a1e", // Intermediate Temperature (notify)
  "2a35", // Blood Pressure Measurement (indicate)
  "2a36", // Intermediate Cuff Pressure (notify)
  "2a5e", // PLX Spot-check Measurement (indicate)
  "2a5f", // PLX Continuous Measurement (notify)
  "2a9d", // Weight Measurement (indicate)
  "2a9c", // Body Composition Measurement (indicate)
  "2a18", // Glucose Measurement (notify; records come after an RACP request, see README)
  "2a34", // Glucose Measurement Context (notify)
  "2aa7", // CGM Measurement (notify)
  "2a19", // Battery Level (read, optional notify)
] as const;

// BlueZ reports every UUID as 128-bit lowercase; SIG 16-bit ones sit on the Bluetooth base UUID.
const SIG_BASE = /^0000([0-9a-f]{4})-0000-1000-8000-00805f9b34fb$/;
const ADDRESS = /^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/i;
export const UUID16 = /^[0-9a-f]{4}$/;

/** `00002a37-0000-1000-8000-00805f9b34fb` → `2a37`; undefined for vendor (non-base) UUIDs. */
export function uuid16Of(uuid: string): string | undefined {
  return SIG_BASE.exec(uuid.toLowerCase())?.[1];
}

export const uuid128Of = (uuid16: string): string => `0000${uuid16.toLowerCase()}-0000-1000-8000-00805f9b34fb`;

export const isAddress = (s: string): boolean => ADDRESS.test(s);

/** `C0:FF:EE:00:11:22` → `c0ffee001122`, the device id the MQTT bridges use for the same sensor. */
export const deviceIdOf = (address: string): string => address.replace(/:/g, "").toLowerCase();
