/** The BLE contract on the real adapter (unmodified node-ble → private dbus-daemon → fake BlueZ) and on the in-process fake. */
import { FakeBleSource } from "../../fakes/fakeBleSource.js";
import { fixedClock } from "../../helpers/frames.js";
import { bleSourceContract } from "../../contracts/bleSource.contract.js";
import { onFakeBluez } from "./harness.js";

bleSourceContract("node-ble on a fake BlueZ over a private dbus-daemon", onFakeBluez);

bleSourceContract("in-process fake", (world, devices) => {
  const source = new FakeBleSource(world, devices, fixedClock());
  return Promise.resolve({
    source,
    notify: (address, uuid16, bytes) => Promise.resolve(source.notify(address, uuid16, bytes)),
    dropLink: (address) => Promise.resolve(source.dropLink(address)),
    close: () => source.stop(),
  });
});
