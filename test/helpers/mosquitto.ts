/** A real mosquitto broker (Debian package) on a free loopback port, for adapter tests. */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { connect, createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const MOSQUITTO = process.env["MOSQUITTO"] ?? "/usr/sbin/mosquitto";

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface MosquittoOptions {
  /** Keep sessions and queued messages across a (SIGTERM) restart: `persistence true` in a temp dir. */
  readonly persistence?: boolean;
  /** Extra mosquitto.conf lines (e.g. `password_file …`, `allow_anonymous false`). */
  readonly extraConf?: string;
}

export interface Mosquitto {
  readonly url: string;
  readonly port: number;
  stop: () => Promise<void>;
  /** SIGKILL: no final persistence save (what a power cut or the OOM killer does). */
  kill: () => Promise<void>;
  /** Starts it again on the same port with the same config (after stop). */
  restart: () => Promise<void>;
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "vg-mosq-"));
  const conf = join(dir, "mosquitto.conf");
  const persistence = options.persistence === true ? `persistence true\npersistence_location ${persistenceDir()}/\nmax_queued_messages 100000\n` : "persistence false\n";
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\n${persistence}log_dest stderr\n${options.extraConf ?? ""}`);
  let child = await spawnMosquitto(conf);
  await untilAccepting(port);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    stop: () => stopChild(child),
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
    restart: async () => {
      child = await spawnMosquitto(conf);
      await untilAccepting(port);
    },
  };
}

/** Started as root, mosquitto drops to user `mosquitto`: its data directory must be writable by it. */
function persistenceDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "vg-mosq-data-"));
  chmodSync(dir, 0o777);
  return dir;
}

/**
 * SIGTERM, repeated: mosquitto 2.0.11 loses a SIGTERM that arrives in the instant between installing
 * its handler and entering the main loop (seen right after a restart). SIGKILL as a last resort.
 */
function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    let tries = 0;
    const again = setInterval(() => child.kill(++tries > 10 ? "SIGKILL" : "SIGTERM"), 500);
    child.once("exit", () => {
      clearInterval(again);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function spawnMosquitto(conf: string): Promise<ChildProcess> {
  const child: ChildProcess = spawn(MOSQUITTO, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let log = "";
    child.stderr?.on("data", (d: Buffer) => {
      log += d.toString();
      if (/mosquitto version .* running/.test(log)) resolve(); // printed after the listeners are bound
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`mosquitto exited ${code}: ${log}`)));
  });
  return child;
}

/** Resolves once a TCP connection to the port succeeds (the broker is accepting). */
async function untilAccepting(port: number, attempts = 100): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`mosquitto did not accept connections on port ${port}`);
}
