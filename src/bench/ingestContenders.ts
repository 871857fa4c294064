/**
 * The two processes the side-by-side ingest bench compares, each a child process with its own
 * SQLite file: the plain batcher (./plainBatcher.ts) and the gateway itself (`vitals-gateway run`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { packagePath } from "../packageRoot.js";

export interface Contender {
  readonly pid: number;
  /** Rows stored, and distinct (device, vital, time) among them: loss and duplicates follow. */
  counts(): { stored: number; distinct: number };
  stop(): Promise<void>;
}

export async function startPlainBatcher(brokerUrl: string, dir: string): Promise<Contender> {
  const file = join(dir, "plain.db");
  const child = spawn(process.execPath, [fileURLToPath(new URL("./plainBatcher.js", import.meta.url)), brokerUrl, file], { stdio: ["ignore", "pipe", "inherit"] });
  await lineFrom(child, (l) => l === "ready");
  return contender(child, file);
}

export async function startGatewayChild(brokerUrl: string, dir: string, patients: number): Promise<Contender> {
  const ids = Array.from({ length: patients }, (_, i) => i);
  const config = [
    `dataDir: ${JSON.stringify(dir)}`,
    "http: {port: 0}",
    `mqtt: {url: ${JSON.stringify(brokerUrl)}}`,
    "logging: {level: error}",
    "anomaly: {enabled: false}",
    `patients: [${ids.map((i) => `{id: p${i}, label: P${i}}`).join(", ")}]`,
    `devices: [${ids.map((i) => `{id: d${i}, patient: p${i}}`).join(", ")}]`,
  ].join("\n");
  writeFileSync(join(dir, "gateway.yaml"), `${config}\n`);
  const child = spawn(process.execPath, [packagePath("bin", "vitals-gateway.js"), "run", "--config", join(dir, "gateway.yaml")], { stdio: ["ignore", "pipe", "inherit"] });
  await lineFrom(child, (l) => l.startsWith("console: "));
  return contender(child, join(dir, "readings.db"));
}

function contender(child: ChildProcess, file: string): Contender {
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let db: Database.Database | undefined;
  return {
    pid: child.pid ?? -1,
    counts() {
      db ??= new Database(file, { readonly: true });
      const stored = (db.prepare("SELECT COUNT(*) AS n FROM readings").get() as { n: number }).n;
      const distinct = (db.prepare("SELECT COUNT(*) AS n FROM (SELECT DISTINCT device_id, vital, time FROM readings)").get() as { n: number }).n;
      return { stored, distinct };
    },
    async stop() {
      db?.close();
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Resolves with the first stdout line that matches; rejects if the child exits first. */
export function lineFrom(child: ChildProcess, wanted: (line: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      const line = lines.find(wanted);
      if (line !== undefined) resolve(line);
    });
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before it was ready`)));
  });
}
