/** Runs the CLI as a user would (a child process), from source through tsx. */
import { spawn, type ChildProcess } from "node:child_process";
import { packagePath } from "../../src/packageRoot.js";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cliArgs(args: string[]): string[] {
  return ["--import", "tsx", packagePath("src", "cli", "entry.ts"), ...args];
}

export function runCli(args: string[], cwd = packagePath()): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, cliArgs(args), { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts a long-running command and resolves once a stdout line matches `ready`. */
export function startCli(args: string[], ready: RegExp, cwd = packagePath()): Promise<{ child: ChildProcess; match: RegExpMatchArray; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs(args), { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      const match = stdout.match(ready);
      if (match) resolve({ child, match, output: () => stdout + stderr });
    });
    child.on("close", (code) => reject(new Error(`exited ${code} before ready:\n${stdout}\n${stderr}`)));
  });
}

export function stopCli(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once("close", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}
