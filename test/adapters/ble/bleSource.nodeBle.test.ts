/**
 * What only the real adapter does, against unmodified node-ble, a real private dbus-daemon and the
 * fake BlueZ: scanning for unknown devices, retrying failed connects, surviving a bluetoothd
 * restart, refused notifications, advertisement sensors, a dead bus, and leaving no handles.
 */
import { afterEach, describe, expect, it } from "vitest";
import { BleSource } from "../../../src/adapters/ble/bleSource.js";
import { FakeBluez } from "../../fakes/fakeBluez/fakeBluez.js";
import { fixedClock } from "../../helpers/frames.js";
import { HR_STRAP, hrStrap } from "../../contracts/bleSource.contract.js";
import { onFakeBluez, type FakeBluezRig } from "./harness.js";
import { Recorder } from "./recorder.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** Waits for a condition on the fakes' side; a bound, not a timing assertion. */
async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  for (let waited = 0; !cond(); waited += 20) {
    if (waited > ms) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("BleSource on node-ble + fake BlueZ", () => {
  let rig: FakeBluezRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  async function started(...args: Parameters<typeof onFakeBluez>) {
    rig = await onFakeBluez(...args);
    const rec = { frames: new Recorder(rig.source.frames$), diagnostics: new Recorder(rig.source.diagnostics$), statuses: new Recorder(rig.source.status$) };
    await rig.source.start();
    return { rig, ...rec };
  }

  it("scans for a device BlueZ does not know yet, connects, and stops the scan it started", async () => {
    const { rig, statuses } = await started([hrStrap({ known: false })], [{ address: HR_STRAP }]);
    await statuses.next((s) => s.state === "connected");
    expect(rig.bluez.adapter.startCalls).toBe(1);
    expect(rig.bluez.adapter.filter).toMatchObject({ Transport: { value: "le" } }); // node-ble's filter: LE only
    await until(() => !rig.bluez.adapter.discovering, "discovery to stop once the device is found");
  });

  it.each([
    ["answers Connect with success (BlueZ, LE)", false],
    ["answers Connect with AlreadyConnected", true],
  ])("picks up a sensor still connected from a previous run when BlueZ %s", async (_, alreadyConnectedError) => {
    const { rig, frames, statuses, diagnostics } = await started([hrStrap({ connected: true, alreadyConnectedError })], [{ address: HR_STRAP, characteristics: ["2a37"] }]);
    await statuses.next((s) => s.state === "connected");
    expect(diagnostics.items).toEqual([]); // taken as is: no failed attempt, no disconnect-and-retry
    expect(rig.bluez.connectCalls(HR_STRAP)).toBe(1);
    await rig.notify(HR_STRAP, "2a37", Uint8Array.from([0x00, 0x4b]));
    expect(hex((await frames.next((f) => f.channel === "2a37")).bytes)).toBe("004b");
  });

  it("retries a failed Connect with backoff, counting failures, and resets the count once connected", async () => {
    const { rig, statuses, diagnostics } = await started([hrStrap()], [{ address: HR_STRAP }], fixedClock());
    // the first attempt may already be under way; make the next two fail
    await statuses.next((s) => s.state === "connected");
    rig.bluez.failNextConnects(HR_STRAP, 2);
    await rig.dropLink(HR_STRAP);
    const from = statuses.items.length;
    const back = await statuses.next((s) => s.state === "connected", from);
    const between = statuses.items.slice(from, statuses.items.indexOf(back, from));
    expect(between.map((s) => s.failures)).toContain(2);
    expect(back.failures).toBe(0);
    expect(diagnostics.items.filter((d) => d.code === "device_link" && d.message.includes("le-connection-abort-by-local"))).toHaveLength(2);
    expect(rig.bluez.connectCalls(HR_STRAP)).toBe(4);
  });

  it("two sensors are independent: one's link loss leaves the other delivering; indications arrive like notifications", async () => {
    const cuff = { address: "AA:BB:CC:00:00:03", services: [{ uuid16: "1810", characteristics: [{ uuid16: "2a35", flags: ["indicate"] }] }] };
    const { rig, frames, statuses } = await started([hrStrap(), cuff], [{ address: HR_STRAP, characteristics: ["2a37"] }, { address: cuff.address, id: "cuff-1" }]);
    await statuses.next((s) => s.address === HR_STRAP && s.state === "connected");
    await statuses.next((s) => s.address === cuff.address && s.state === "connected");
    await rig.dropLink(HR_STRAP);
    await statuses.next((s) => s.address === HR_STRAP && s.state === "disconnected");
    // Nordic BPM vector: 138/88 mmHg, MAP 120, pulse 60 … (research §1.4)
    await rig.notify(cuff.address, "2a35", Uint8Array.from(Buffer.from("1e8a0058007800000004111429 3b3c0001 2700".replace(/ /g, ""), "hex")));
    const bp = await frames.next((f) => f.deviceId === "cuff-1");
    expect(bp).toMatchObject({ source: "ble:gatt", channel: "2a35" });
    expect(hex(bp.bytes)).toBe("1e8a00580078000000041114293b3c00012700");
    expect(rig.source.statuses().find((s) => s.address === cuff.address)?.state).toBe("connected");
  });

  it("gets past node-ble's gatt() when the ServicesResolved signal is missed (asks again instead of hanging)", async () => {
    const { rig, frames, statuses, diagnostics } = await started([hrStrap({ silentResolve: true })], [{ address: HR_STRAP, characteristics: ["2a37"] }]);
    await statuses.next((s) => s.state === "connected");
    expect(diagnostics.items).toEqual([]); // no failed attempt: the retry is inside the one connection
    await rig.notify(HR_STRAP, "2a37", Uint8Array.from([0x00, 0x41]));
    expect(hex((await frames.next((f) => f.channel === "2a37")).bytes)).toBe("0041");
  });

  it("notices a bluetoothd restart (no signal, objects gone) and reconnects to the new one", async () => {
    const { rig, frames, statuses } = await started([hrStrap()], [{ address: HR_STRAP, characteristics: ["2a37"] }]);
    await statuses.next((s) => s.state === "connected");
    await rig.bluez.stop();
    const lost = await statuses.next((s) => s.state === "disconnected");
    rig.bluez = await FakeBluez.start(rig.daemon.address, [hrStrap()]);
    await statuses.next((s) => s.state === "connected", statuses.items.indexOf(lost) + 1);
    await rig.notify(HR_STRAP, "2a37", Uint8Array.from([0x00, 0x3c]));
    expect(hex((await frames.next((f) => f.channel === "2a37")).bytes)).toBe("003c");
  });

  it("reports a characteristic that refuses notifications (Glucose unbonded) and keeps the others", async () => {
    const meter = {
      address: "AA:BB:CC:00:00:01",
      services: [
        { uuid16: "1808", characteristics: [{ uuid16: "2a18", flags: ["notify"], refuseNotify: "org.bluez.Error.NotPermitted" }] },
        { uuid16: "180f", characteristics: [{ uuid16: "2a19", flags: ["read", "notify"], value: Uint8Array.from([77]) }] },
      ],
    };
    const { rig, statuses, diagnostics } = await started([meter], [{ address: meter.address, id: "meter-1" }]);
    const up = await statuses.next((s) => s.state === "connected");
    expect(up.channels).toEqual(["2a19"]);
    expect((await diagnostics.next((d) => d.message.includes("2a18"))).message).toContain("Insufficient authentication");
    expect(rig.bluez.isNotifying(meter.address, "2a19")).toBe(true);
  });

  it("a device with none of the wanted characteristics is refused and retried, not left connected", async () => {
    const thermometerless = { address: "AA:BB:CC:00:00:02", services: [{ uuid16: "180a", characteristics: [{ uuid16: "2a29", flags: ["read"] }] }] };
    const { rig, statuses } = await started([thermometerless], [{ address: thermometerless.address }]);
    const failed = await statuses.next((s) => s.state === "disconnected" && s.failures >= 1);
    expect(failed.lastError).toContain("no health characteristic");
    await until(() => rig.bluez.connectCalls(thermometerless.address) >= 2 && !rig.bluez.isConnected(thermometerless.address), "a retry that disconnects again");
  });

  it("advertisement sensors: manufacturer data with the company id prepended, service data by UUID, a frame per change", async () => {
    const polar = { address: "A0:9E:1A:00:00:10", services: [], manufacturerData: { 0x006b: Uint8Array.from([0x3b, 0x16, 0x44, 0x46]) } };
    const scale = { address: "C8:47:8C:00:00:20", services: [], serviceData: { "181d": Uint8Array.from([0x22, 0x3e, 0x30]) } };
    const { rig, frames, statuses } = await started([polar, scale], [
      { address: polar.address, mode: "advertisement" },
      { address: scale.address, id: "scale-1", mode: "advertisement" },
    ]);
    const hr = await frames.next((f) => f.deviceId === "a09e1a000010");
    expect(hr).toMatchObject({ source: "ble:adv", channel: "manufacturer_data" });
    expect(hex(hr.bytes)).toBe("6b003b164446"); // the Theengs / driver layout: company id LE first
    const weight = await frames.next((f) => f.deviceId === "scale-1");
    expect(weight).toMatchObject({ source: "ble:adv", channel: "service_data:181d" });
    expect(hex(weight.bytes)).toBe("223e30");
    expect(statuses.items.filter((s) => s.state === "connected").map((s) => s.address).sort()).toEqual([polar.address, scale.address]);
    rig.bluez.advertise(polar.address, { manufacturerData: { 0x006b: Uint8Array.from([0x3b, 0x16, 0x44, 0x48]) } });
    await frames.next((f) => f.deviceId === "a09e1a000010" && hex(f.bytes).endsWith("48"));
    rig.bluez.advertise(polar.address, { manufacturerData: { 0x006b: Uint8Array.from([0x3b, 0x16, 0x44, 0x46]) } });
    const third = await frames.next((f) => f.deviceId === "a09e1a000010", frames.items.findIndex((f) => hex(f.bytes).endsWith("48")) + 1);
    expect(hex(third.bytes)).toBe("6b003b164446");
    // one frame per change, not one per poll: unchanged bytes are never re-sent as fresh readings
    expect(frames.items.filter((f) => f.deviceId === "a09e1a000010").map((f) => hex(f.bytes))).toEqual(["6b003b164446", "6b003b164448", "6b003b164446"]);
    expect(rig.bluez.adapter.discovering).toBe(true); // scanning stays on for broadcast sensors
  });

  it("the dbus-daemon dying is a diagnostic and lost sensors, not a crash", async () => {
    const { rig, statuses, diagnostics } = await started([hrStrap()], [{ address: HR_STRAP, characteristics: ["2a37"] }]);
    await statuses.next((s) => s.state === "connected");
    const from = statuses.items.length;
    await rig.daemon.stop();
    await diagnostics.next((d) => d.code === "device_link" && d.message.includes("D-Bus connection"));
    expect(rig.source.connected).toBe(false);
    expect((await statuses.next((s) => s.state === "disconnected", from)).address).toBe(HR_STRAP);
  });

  it("start() fails at once with a clear error when the bus cannot be reached, and throws nothing later", async () => {
    const source = new BleSource({ busAddress: "unix:path=/nonexistent/vg-test.sock", devices: [{ address: HR_STRAP }] }, fixedClock());
    await expect(source.start()).rejects.toThrow(/BLE: cannot reach BlueZ: .*ENOENT/);
    expect(source.connected).toBe(false);
    await source.stop();
  });

  it("start() names the adapter it could not find", async () => {
    rig = await onFakeBluez([hrStrap()], []);
    const source = new BleSource({ busAddress: rig.daemon.address, adapter: "hci7", devices: [] }, fixedClock());
    await expect(source.start()).rejects.toThrow("BLE: cannot reach BlueZ adapter hci7: Adapter not found");
  });

  it("says so when the adapter is powered off (every Connect would fail)", async () => {
    rig = await onFakeBluez([], []);
    await rig.bluez.stop();
    rig.bluez = await FakeBluez.start(rig.daemon.address, [], { powered: false });
    const source = new BleSource({ busAddress: rig.daemon.address, devices: [] }, fixedClock());
    const diagnostics = new Recorder(source.diagnostics$);
    await source.start();
    expect((await diagnostics.next((d) => d.code === "device_link")).message).toContain("powered off");
    await source.stop();
  });

  it("refuses a bad device list naming the entry", () => {
    const devices = [{ address: "C0FFEE" }, { address: HR_STRAP, characteristics: ["2A37"] }, { address: "AA:BB:CC:DD:EE:01", mode: "scan" as "gatt" }, { address: HR_STRAP.toLowerCase() }];
    expect(() => new BleSource({ devices }, fixedClock())).toThrow(
      /ble.devices\[0\].address 'C0FFEE'.*ble.devices\[1\].characteristics '2A37'.*ble.devices\[2\].mode 'scan'.*ble.devices\[3\].address .* listed twice/,
    );
  });

  it("stop() while still scanning for an absent device returns promptly, stops the scan and leaves no handles", async () => {
    rig = await onFakeBluez([], [{ address: "DE:AD:00:00:00:01" }]);
    const before = handles();
    const peers = await rig.bluez.busPeers();
    const statuses = new Recorder(rig.source.status$);
    await rig.source.start();
    await statuses.next((s) => s.state === "connecting");
    await until(() => rig!.bluez.adapter.discovering, "the scan to start");
    await rig.source.stop();
    expect(statuses.items.at(-1)?.state).toBe("stopped");
    expect(rig.bluez.adapter.discovering).toBe(false);
    await until(() => noMoreHandles(before, handles()), `handles back to ${JSON.stringify(before)} (now ${JSON.stringify(handles())})`);
    await expectPeers(rig, peers);
  });

  it("stop() with a connected device disconnects it and leaves no handles", async () => {
    rig = await onFakeBluez([hrStrap()], [{ address: HR_STRAP }]);
    const before = handles();
    const peers = await rig.bluez.busPeers();
    const statuses = new Recorder(rig.source.status$);
    await rig.source.start();
    await statuses.next((s) => s.state === "connected");
    await rig.source.stop();
    expect(rig.bluez.isConnected(HR_STRAP)).toBe(false);
    await until(() => noMoreHandles(before, handles()), `handles back to ${JSON.stringify(before)} (now ${JSON.stringify(handles())})`);
    await expectPeers(rig, peers);
  });
});

/** The adapter's D-Bus connection is closed: the daemon is back to the peers it had before start(). */
async function expectPeers(rig: FakeBluezRig, before: number): Promise<void> {
  for (let i = 0; (await rig.bluez.busPeers()) !== before; i++) {
    if (i > 200) throw new Error(`the bus still has ${await rig.bluez.busPeers()} peers, expected ${before}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Handles that keep this process alive (timers above all; dbus-next's idle socket is not listed, hence expectPeers). */
function handles(): Record<string, number> {
  const count: Record<string, number> = {};
  for (const h of process.getActiveResourcesInfo()) if (h !== "TTYWrap" && h !== "FSReqCallback") count[h] = (count[h] ?? 0) + 1;
  return count;
}

/** Nothing the source opened is still alive: no kind of handle outnumbers the baseline (the runner's own timers come and go). */
const noMoreHandles = (before: Record<string, number>, now: Record<string, number>): boolean => Object.entries(now).every(([k, n]) => n <= (before[k] ?? 0));
