/**
 * A full disk (issue 9 item 3): the data dir on a 2 MB tmpfs, filled while readings flow. The
 * daemon must stay alive, a technical alarm must reach the console, an alarm raised meanwhile
 * must still be shown, and full service (a new reading and a new alert stored) must be back
 * within 10 s of space returning. Then: killed while the disk is full, it must start again
 * (degraded) rather than loop. Needs root for the mount: otherwise reported as skipped.
 */
import { join } from "node:path";
import { freePort } from "../../helpers/mosquitto.js";
import { startBroker } from "../lib/broker.js";
import { createToken } from "../lib/cli.js";
import { patientOf, triggerDevice, writeConfig } from "../lib/config.js";
import { Console, isLinkAlarm, isResolved } from "../lib/console.js";
import { startGatewayChild, type GatewayChild } from "../lib/gatewayChild.js";
import { onCleanup } from "../lib/owned.js";
import { connectPublisher, heartRateFrame, startFlow } from "../lib/publisher.js";
import { storedAlertStates, storedFlowTimes } from "../lib/stores.js";
import { fillUp, freeUp, isRoot, mountTmpfs } from "../lib/tmpfs.js";
import { pollFor, sleep } from "../lib/wait.js";
import type { SuiteOptions } from "../options.js";
import { atMost, check, type ScenarioResult } from "../report.js";

const SERVICE_BACK_WITHIN_S = 10;
const ALARM_WITHIN_S = 30;

export async function diskFull(o: SuiteOptions): Promise<ScenarioResult> {
  const scenario = "disk full";
  if (!isRoot()) return { scenario, figures: {}, checks: [], skipped: "needs root (mount -t tmpfs)" };
  const disk = mountTmpfs(2);
  const releaseDisk = onCleanup(() => disk.unmount());
  const dataDir = join(disk.dir, "data");
  const filler = join(disk.dir, "filler");
  const broker = await startBroker();
  const releaseBroker = onCleanup(() => broker.stop());
  const httpPort = await freePort();
  const configFile = writeConfig({ dataDir, httpPort, mqttUrl: broker.url, patients: 3 });
  const spawnOpts = { bin: o.bin, configFile, httpPort };
  const { token } = await createToken(o.bin, dataDir, "nurse", "fault-suite nurse");
  const flow = await startFlow(broker.url, 20, "faults-disk-flow");
  const trigger = await connectPublisher(broker.url);
  let gateway: GatewayChild | undefined;
  const raise = async (nurse: Console, i: number) => {
    const since = Date.now();
    await trigger.publishAsync(`vitals/${triggerDevice(i)}/gatt/2a37`, heartRateFrame(150), { qos: 1 });
    return nurse.waitAlert((a) => a.patientId === patientOf(i) && a.kind === "physiological", since, 15_000);
  };
  try {
    gateway = await startGatewayChild(spawnOpts);
    const g = gateway;
    const nurse = await Console.open(g.url, { authorization: `Bearer ${token}` });
    await sleep(2000);
    const filledAt = Date.now();
    const filledBytes = fillUp(filler);
    const shownWhileFull = await raise(nurse, 0);
    const alarm = await nurse.waitAlert((a, e) => isLinkAlarm(a) && !isResolved(a, e), filledAt, 45_000);
    await sleep(Math.max(0, filledAt + 10_000 - Date.now()));
    const aliveWhileFull = g.alive();

    freeUp(filler);
    const freedAt = Date.now();
    const alertAfter = aliveWhileFull ? await raise(nurse, 1) : undefined;
    const back = await pollFor(
      () => {
        const readingStored = [...storedFlowTimes(dataDir).keys()].some((t) => t >= freedAt);
        const alertStored = alertAfter !== undefined && storedAlertStates(dataDir).has(alertAfter.alert.id);
        return readingStored && alertStored ? Date.now() : undefined;
      },
      30_000,
      100,
    );
    const serviceBackS = back === undefined ? null : (back - freedAt) / 1000;
    nurse.close();

    // Killed on a full disk: the next start must come up (degraded), not exit and loop.
    fillUp(filler);
    await g.kill9();
    let restartOnFull: string;
    try {
      gateway = await startGatewayChild({ ...spawnOpts, readyTimeoutMs: 30_000 });
      const livezMs = Math.round(gateway.livezMs);
      await trigger.publishAsync(`vitals/${triggerDevice(2)}/gatt/2a37`, heartRateFrame(150), { qos: 1 }); // work that needs the disk
      await sleep(5000);
      restartOnFull = gateway.alive() ? `answered /livez after ${livezMs} ms, alive 5 s later` : `answered /livez, then exited ${String(gateway.exitCode())}`;
    } catch (e) {
      restartOnFull = `did not start: ${(e as Error).message.split("\n")[0] ?? ""}`;
    }
    freeUp(filler);
    return {
      scenario,
      figures: {
        "bytes written to fill": filledBytes,
        "daemon alive 10 s after the disk filled": aliveWhileFull,
        "exit while full": aliveWhileFull ? "none" : String(g.exitCode()),
        "alert raised while full shown on console": shownWhileFull !== undefined,
        "s to technical alarm": alarm ? (alarm.at - filledAt) / 1000 : null,
        "technical alarm cause": alarm?.alert.cause ?? "none",
        "s to full service after space returned": serviceBackS,
        "restart on a full disk": restartOnFull,
      },
      checks: [
        check("daemon alive on a full disk", aliveWhileFull, aliveWhileFull ? "alive after 10 s" : `exited ${String(g.exitCode())}`),
        check("an alarm raised while full reaches the console", shownWhileFull !== undefined, shownWhileFull ? "shown" : "not shown in 15 s"),
        atMost("technical alarm on the console", alarm ? (alarm.at - filledAt) / 1000 : null, ALARM_WITHIN_S, " s"),
        atMost("full service back after space returned", serviceBackS, SERVICE_BACK_WITHIN_S, " s"),
        check("starts again on a full disk and stays up", restartOnFull.endsWith("alive 5 s later"), restartOnFull),
      ],
    };
  } finally {
    await flow.stop().catch(() => undefined);
    await trigger.endAsync(true).catch(() => undefined);
    await gateway?.kill9();
    await releaseBroker();
    await releaseDisk();
  }
}
