/**
 * A real mosquitto (Debian's) on a free loopback port, started and stopped by the benchmarks.
 * No persistence: each contender gets a fresh broker, so nothing queued by one reaches the next.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface BrokerProcess {
  readonly url: string;
  stop(): Promise<void>;
}

export const MOSQUITTO_BIN = process.env["MOSQUITTO"] ?? "/usr/sbin/mosquitto";

export async function startBroker(): Promise<BrokerProcess> {
  const port = await freeLoopbackPort();
  const dir = mkdtempSync(join(tmpdir(), "vg-bench-mosq-"));
  const conf = join(dir, "mosquitto.conf");
  // A burst of QoS 1 messages for one slow subscriber must queue, not be dropped (default 1000).
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_inflight_messages 0\n`);
  const child = spawn(MOSQUITTO_BIN, ["-c", conf], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await untilAccepting(port);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function untilAccepting(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1", () => (s.end(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`mosquitto did not accept connections on port ${port}`);
}
