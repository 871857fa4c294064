/**
 * On a fresh connection: find the wanted characteristics among the device's services and open
 * each one. Notify/indicate → StartNotify (BlueZ turns indications into Value changes too);
 * read-only → one read per connection. A state characteristic (Battery Level) is also read once
 * when it notifies (it notifies only on change), and polled when it cannot notify. One refusal
 * does not sink the others; none at all fails the attempt.
 */
import type { Diagnostic } from "../../core/errors.js";
import { Stopped } from "./lifetime.js";
import { errorText, type GattCharacteristic, type GattServer } from "./nodeBle.js";
import { uuid16Of } from "./uuids.js";

export interface SubscribeContext {
  /** 16-bit UUIDs, lower case. */
  readonly wanted: readonly string[];
  /** The list came from config: report the absent ones. */
  readonly explicit: boolean;
  /** Every characteristic object opened, so the caller can drop its listeners later. */
  readonly held: GattCharacteristic[];
  step<T>(p: Promise<T>, what: string): Promise<T>;
  diag(code: Diagnostic["code"], message: string): void;
  onValue(channel: string, value: Buffer): void;
  /** Read this characteristic again every so often for as long as this connection lasts. */
  poll(channel: string, read: () => Promise<Buffer>): void;
}

/**
 * Characteristics that hold a present state rather than a measurement. Reading one again gives
 * today's value; reading a measurement again would hand on an old measurement stamped as new.
 */
export const STATE_CHARACTERISTICS: ReadonlySet<string> = new Set(["2a19"]); // Battery Level

/** Resolves with the channels that deliver data on this connection. */
export async function subscribeHealth(gatt: GattServer, ctx: SubscribeContext): Promise<string[]> {
  const found = new Map<string, GattCharacteristic>();
  const wanted = new Set(ctx.wanted);
  for (const service of await ctx.step(gatt.services(), "services")) {
    const svc = await ctx.step(gatt.getPrimaryService(service), "GattService1");
    for (const uuid of await ctx.step(svc.characteristics(), "characteristics")) {
      const u16 = uuid16Of(uuid);
      if (u16 !== undefined && wanted.has(u16) && !found.has(u16)) found.set(u16, await ctx.step(svc.getCharacteristic(uuid), "GattCharacteristic1"));
    }
  }
  const absent = ctx.wanted.filter((c) => !found.has(c));
  if (ctx.explicit && absent.length > 0) ctx.diag("config_invalid", `configured characteristic(s) ${absent.join(", ")} not on the device`);
  const channels: string[] = [];
  for (const [channel, chr] of found) {
    ctx.held.push(chr);
    try {
      if (await open(channel, chr, ctx)) channels.push(channel);
    } catch (e) {
      if (e instanceof Stopped) throw e;
      // e.g. Glucose refuses notifications on an unbonded link (org.bluez.Error.NotPermitted): see README
      ctx.diag("device_link", `characteristic ${channel}: ${errorText(e)}`);
    }
  }
  if (channels.length === 0) throw new Error(`no health characteristic delivers data (wanted ${ctx.wanted.join(", ")})`);
  return channels;
}

async function open(channel: string, chr: GattCharacteristic, ctx: SubscribeContext): Promise<boolean> {
  const flags = await ctx.step(chr.getFlags(), "Flags");
  const state = flags.includes("read") && STATE_CHARACTERISTICS.has(channel);
  if (flags.includes("notify") || flags.includes("indicate")) {
    // node-ble registers its PropertiesChanged listener before StartNotify (fixed in 1.13, PR #77)
    chr.on("valuechanged", (buf: Buffer) => ctx.onValue(channel, buf));
    await ctx.step(chr.startNotifications(), `StartNotify ${channel}`);
    // Battery Level notifies on change only: without this read there is no value until it drops a step.
    // Read after StartNotify, so a change in between is seen either way.
    if (state) await readOnce(channel, chr, ctx).catch((e: unknown) => reportUnlessStopped(e, channel, ctx));
    return true;
  }
  if (flags.includes("read")) {
    await readOnce(channel, chr, ctx);
    if (state) ctx.poll(channel, () => chr.readValue());
    return true;
  }
  ctx.diag("device_link", `characteristic ${channel} can neither notify, indicate nor be read (flags ${flags.join(",")})`);
  return false;
}

async function readOnce(channel: string, chr: GattCharacteristic, ctx: SubscribeContext): Promise<void> {
  ctx.onValue(channel, await ctx.step(chr.readValue(), `ReadValue ${channel}`));
}

function reportUnlessStopped(e: unknown, channel: string, ctx: SubscribeContext): void {
  if (e instanceof Stopped) throw e;
  ctx.diag("device_link", `characteristic ${channel}: ${errorText(e)}`);
}
