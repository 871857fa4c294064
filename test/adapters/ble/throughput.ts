/**
 * Manual measurement, not a test: notifications per second from the fake BlueZ, through the
 * private dbus-daemon, node-ble and BleSource, to RawFrames (the fake's emit loop is part of it,
 * so this is a lower bound). Run: npx tsx test/adapters/ble/throughput.ts [N]
 */
import { firstValueFrom, filter, take, toArray } from "rxjs";
import { HR_STRAP, hrStrap } from "../../contracts/bleSource.contract.js";
import { onFakeBluez } from "./harness.js";

const N = Number(process.argv[2] ?? 2000);
const rig = await onFakeBluez([hrStrap()], [{ address: HR_STRAP, characteristics: ["2a37"] }]);
try {
  const up = firstValueFrom(rig.source.status$.pipe(filter((s) => s.state === "connected")));
  await rig.source.start();
  await up;

  // (b) through node-ble and BleSource
  const frames = firstValueFrom(rig.source.frames$.pipe(take(N), toArray()));
  const t1 = performance.now();
  for (let i = 0; i < N; i++) await rig.notify(HR_STRAP, "2a37", Uint8Array.from([0, i & 0xff]));
  const got = await frames;
  const adapter = performance.now() - t1;
  const inOrder = got.every((f, i) => f.bytes[1] === (i & 0xff));
  console.log(`N=${N}: ${(N / (adapter / 1000)).toFixed(0)} notifications/s from the fake's emit to RawFrame, in order: ${inOrder}`);
} finally {
  await rig.close();
}
