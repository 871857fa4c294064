/**
 * A real mosquitto for the suite, which (unlike test/helpers/mosquitto.ts) can be killed with
 * SIGKILL. With `durable`, persistence saves on every change: what the broker PUBACKed survives
 * its own crash, so any loss the suite counts is the gateway's, not the broker's. Without it the
 * broker keeps sessions in memory (it is never killed then), which stays fast however many
 * sessions a gateway leaves behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, MOSQUITTO } from "../../helpers/mosquitto.js";
import { own } from "./owned.js";
import { sleep } from "./wait.js";

export interface Broker {
  readonly port: number;
  readonly url: string;
  kill9(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBroker(options: { durable?: boolean } = {}): Promise<Broker> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "vg-faults-mosq-"));
  chmodSync(dir, 0o777); // as root, mosquitto drops to user mosquitto and must write here
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(
    conf,
    `listener ${port} 127.0.0.1\nallow_anonymous true\n${options.durable === true ? `persistence true\npersistence_location ${dir}/\nautosave_on_changes true\nautosave_interval 1\n` : "persistence false\n"}max_queued_messages 1000000\nmax_inflight_messages 100\nlog_dest stderr\n`,
  );
  let child: ChildProcess | undefined;
  const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;
  const broker: Broker = {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    async start() {
      child = await spawnReady(conf);
    },
    async kill9() {
      const c = child;
      if (!c || exited(c)) return;
      const gone = new Promise((resolve) => c.once("exit", resolve));
      c.kill("SIGKILL");
      await gone;
    },
    async stop() {
      const c = child;
      if (!c || exited(c)) return;
      const gone = new Promise((resolve) => c.once("exit", resolve));
      c.kill("SIGTERM");
      await Promise.race([gone, sleep(5000)]);
      if (!exited(c)) c.kill("SIGKILL");
    },
  };
  await broker.start();
  return broker;
}

async function spawnReady(conf: string): Promise<ChildProcess> {
  for (let attempt = 0; ; attempt++) {
    const child = own(spawn(MOSQUITTO, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] }));
    const ok = await new Promise<boolean>((resolve) => {
      let log = "";
      child.stderr?.on("data", (d: Buffer) => {
        log += d.toString();
        if (/mosquitto version .* running/.test(log)) resolve(true);
      });
      child.once("exit", () => resolve(false));
    });
    if (ok) return child;
    // The port of a just-killed broker can be in TIME_WAIT for a moment: retry, bounded.
    if (attempt >= 20) throw new Error("mosquitto would not start");
    await sleep(250);
  }
}
