/** The built CLI as a user runs it (`vitals-gateway token create`, `audit verify`, …). */
import { spawn } from "node:child_process";
import { own } from "./owned.js";

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(bin: string, args: readonly string[], timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = own(spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] }));
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A new token of `role`: its secret and its id (from the CLI's stderr line). */
export async function createToken(bin: string, dataDir: string, role: string, name: string): Promise<{ token: string; id: string }> {
  const r = await runCli(bin, ["token", "create", "--role", role, "--name", name, "--data-dir", dataDir]);
  const id = /token (\S+) \(/.exec(r.stderr)?.[1];
  if (r.code !== 0 || id === undefined) throw new Error(`token create failed (${r.code}): ${r.stderr}`);
  return { token: r.stdout.trim(), id };
}
