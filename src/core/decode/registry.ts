/** Finds the driver for a frame; refuses two drivers with one id or one match. */
import type { RawFrame } from "../model.js";
import type { Driver } from "./driver.js";

export class DriverRegistry {
  private readonly byGatt = new Map<string, Driver>();
  private readonly byServiceData = new Map<string, Driver>();
  private readonly byManufacturer = new Map<number, Driver>();
  private readonly ids = new Set<string>();

  constructor(drivers: readonly Driver[]) {
    for (const d of drivers) this.add(d);
  }

  private add(d: Driver): void {
    if (this.ids.has(d.id)) throw new Error(`duplicate driver id '${d.id}'`);
    this.ids.add(d.id);
    const claim = <K>(map: Map<K, Driver>, key: K | undefined, what: string): void => {
      if (key === undefined) return;
      const prior = map.get(key);
      if (prior) throw new Error(`drivers '${prior.id}' and '${d.id}' both match ${what} ${String(key)}`);
      map.set(key, d);
    };
    claim(this.byGatt, d.match.gatt?.toLowerCase(), "gatt");
    claim(this.byServiceData, d.match.serviceData?.toLowerCase(), "service data");
    claim(this.byManufacturer, d.match.manufacturerId, "manufacturer id");
  }

  get drivers(): readonly Driver[] {
    return [...new Set([...this.byGatt.values(), ...this.byServiceData.values(), ...this.byManufacturer.values()])];
  }

  forGatt(characteristic: string): Driver | undefined {
    return this.byGatt.get(characteristic.toLowerCase());
  }

  forServiceData(uuid16: string): Driver | undefined {
    return this.byServiceData.get(uuid16.toLowerCase());
  }

  forManufacturer(companyId: number): Driver | undefined {
    return this.byManufacturer.get(companyId);
  }

  /** The driver for a binary frame, by its source and channel. */
  match(frame: RawFrame): Driver | undefined {
    switch (frame.source) {
      case "ble:gatt":
      case "mqtt:gatt":
        return this.forGatt(frame.channel);
      case "ble:adv":
      case "mqtt:adv":
        if (frame.channel.startsWith("service_data:")) return this.forServiceData(frame.channel.slice(13));
        if (frame.channel === "manufacturer_data" && frame.bytes.length >= 2) {
          return this.forManufacturer(frame.bytes[0]! | (frame.bytes[1]! << 8));
        }
        return undefined;
      case "mqtt:json":
      case "mqtt:bridge": // JSON: decoded in bridgeMessage.ts, which hands its raw advert fields back here
        return undefined;
      default:
        return frame.source satisfies never;
    }
  }
}
