/**
 * A stand-in for systemd's end of $NOTIFY_SOCKET: a unix datagram socket (which Node cannot
 * open) bound by a python3 child in a temp dir. It prints each message as one line and closes
 * any file descriptor sent with it, as PID 1 does for systemd-notify's BARRIER=1.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const LISTENER = `
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("listening", flush=True)
while True:
    data, fds, _, _ = socket.recv_fds(s, 4096, 16)
    for fd in fds:
        os.close(fd)
    print(data.decode().replace("\\n", " | "), flush=True)
`;

export interface NotifyListener {
  readonly path: string;
  /** Every message received so far, oldest first. */
  messages(): string[];
  stop(): void;
}

export function listenForNotify(): Promise<NotifyListener> {
  const path = join(mkdtempSync(join(tmpdir(), "vg-notify-")), "notify.sock");
  const child: ChildProcess = spawn("python3", ["-u", "-c", LISTENER, path], { stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    let buffered = "";
    child.stdout!.on("data", (d: Buffer) => {
      buffered += d.toString();
      const parts = buffered.split("\n");
      buffered = parts.pop() ?? "";
      for (const line of parts) {
        if (line === "listening") resolve({ path, messages: () => [...lines], stop: () => child.kill("SIGKILL") });
        else lines.push(line);
      }
    });
    child.once("exit", (code) => reject(new Error(`notify listener exited ${code}`)));
  });
}
