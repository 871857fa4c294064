/**
 * kill -9 rounds (issue 9 items 4, 3; restart time): a bridge publishes QoS 1 readings with unique
 * times the whole time while the gateway is killed with SIGKILL and started again, N times. Each
 * round a console logs in, sees a new alarm, acknowledges it; after each kill `audit verify` runs
 * on the dead gateway's files. At the end: every broker-acknowledged reading stored exactly once,
 * every alert a console saw stored, every acknowledgement kept.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../helpers/mosquitto.js";
import { startBroker } from "../lib/broker.js";
import { createToken, runCli } from "../lib/cli.js";
import { patientOf, triggerDevice, writeConfig } from "../lib/config.js";
import { Console } from "../lib/console.js";
import { startGatewayChild, type GatewayChild } from "../lib/gatewayChild.js";
import { onCleanup } from "../lib/owned.js";
import { connectPublisher, heartRateFrame, startFlow } from "../lib/publisher.js";
import { readingLoss, storedAlertStates, storedFlowTimes } from "../lib/stores.js";
import { median, pollFor, prng, quantile, sleep } from "../lib/wait.js";
import type { SuiteOptions } from "../options.js";
import { atMost, check, type ScenarioResult } from "../report.js";

export async function killRounds(o: SuiteOptions): Promise<ScenarioResult> {
  const random = prng(o.seed);
  const broker = await startBroker();
  const releaseBroker = onCleanup(() => broker.stop());
  const dataDir = mkdtempSync(join(tmpdir(), "vg-faults-kill-"));
  const httpPort = await freePort();
  const configFile = writeConfig({ dataDir, httpPort, mqttUrl: broker.url, patients: o.rounds });
  const spawnOpts = { bin: o.bin, configFile, httpPort };
  const { token } = await createToken(o.bin, dataDir, "nurse", "fault-suite nurse");
  const flow = await startFlow(broker.url, 50, "faults-flow");
  const trigger = await connectPublisher(broker.url);
  const restartMs: number[] = [];
  const restartCpuMs: number[] = [];
  const shown = new Set<string>();
  const acked = new Set<string>();
  let reverted = 0;
  let auditFailures = 0;
  const roundFailures: string[] = [];
  let gateway: GatewayChild | undefined;
  try {
    for (let round = 0; round < o.rounds; round++) {
      gateway = await startGatewayChild(spawnOpts);
      restartMs.push(gateway.livezMs);
      if (gateway.livezCpuMs !== null) restartCpuMs.push(gateway.livezCpuMs);
      const nurse = await Console.open(gateway.url, { authorization: `Bearer ${token}` });
      const snapshot = (await nurse.snapshot()) ?? [];
      reverted += snapshot.filter((a) => acked.has(a.id) && a.state === "active").length;
      const since = Date.now();
      await trigger.publishAsync(`vitals/${triggerDevice(round)}/gatt/2a37`, heartRateFrame(150), { qos: 1 });
      const raised = await nurse.waitAlert((a) => a.patientId === patientOf(round) && a.kind === "physiological", since, 20_000);
      if (raised) {
        shown.add(raised.alert.id);
        nurse.send({ type: "ack", alertId: raised.alert.id });
        const done = await nurse.waitAlert((a) => a.id === raised.alert.id && a.state === "acknowledged", since, 10_000);
        if (done) acked.add(raised.alert.id);
        else roundFailures.push(`round ${round}: ack not confirmed in 10 s`);
      } else roundFailures.push(`round ${round}: no alarm shown in 20 s`);
      await sleep(300 + random() * 1500); // the kill lands at a random point of the flow
      nurse.close();
      await gateway.kill9();
      const verify = await runCli(o.bin, ["audit", "verify", "--data-dir", dataDir]);
      if (verify.code !== 0) auditFailures++;
    }
    await flow.stop();
    // A last start drains what the broker kept for the gateway while it was down.
    gateway = await startGatewayChild(spawnOpts);
    await pollFor(() => (readingLoss(flow.acked, storedFlowTimes(dataDir)).lost === 0 ? true : undefined), 30_000, 500);
    await sleep(1500); // late duplicates (a redelivery) would land now
    const loss = readingLoss(flow.acked, storedFlowTimes(dataDir));
    await gateway.stop();
    const states = storedAlertStates(dataDir);
    const alertsLost = [...shown].filter((id) => !states.has(id)).length;
    const acksReverted = reverted + [...acked].filter((id) => states.get(id) === "active").length;
    const p50 = median(restartMs);
    const p95 = quantile(restartMs, 0.95);
    return {
      scenario: "kill -9 rounds",
      figures: {
        rounds: o.rounds,
        "readings sent": flow.sent(),
        "readings acked by broker": loss.acked,
        "readings lost": loss.lost,
        "readings lost %": loss.acked === 0 ? 0 : (100 * loss.lost) / loss.acked,
        "duplicates stored": loss.duplicates,
        "alerts shown": shown.size,
        "alerts lost": alertsLost,
        "acks made": acked.size,
        "acks reverted": acksReverted,
        "audit verify failures": auditFailures,
        "restart to /livez median ms": p50,
        "restart to /livez p95 ms": p95,
        "restart to /livez max ms": Math.max(...restartMs),
        "restart to /livez samples ms": restartMs.map((ms) => Math.round(ms)).join(" "),
        "restart to /livez CPU median ms": median(restartCpuMs),
      },
      checks: [
        check("every round raised, showed and acknowledged an alert", roundFailures.length === 0, roundFailures.join("; ") || "all rounds"),
        atMost("broker-acknowledged readings lost", loss.lost, 0),
        atMost("duplicate readings stored", loss.duplicates, 0),
        atMost("alerts shown but not stored", alertsLost, 0),
        atMost("acknowledgements reverted", acksReverted, 0),
        atMost("rounds where `audit verify` failed", auditFailures, 0),
      ],
    };
  } finally {
    await flow.stop().catch(() => undefined);
    await trigger.endAsync(true).catch(() => undefined);
    await gateway?.kill9();
    await releaseBroker();
  }
}
