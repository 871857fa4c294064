/**
 * The restart loop systemd would run (issue 9 item 3): the daemon, a child process as installed,
 * killed with SIGKILL on a full disk (a real 8 MiB tmpfs) and started again, three times. Every
 * start must come up degraded — console served, a nurse can sign in, "storage full" on the
 * console — and never exit 1 for lack of space (today: exit 1 in openDatabase, every time).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { runCli, startCli } from "../helpers/cli.js";
import { ofType, TEST_CONFIG, WsClient } from "../helpers/gateway.js";
import { isRoot, smallDisk, type SmallDisk } from "../helpers/smallDisk.js";

const ROUNDS = 3;
const READY = /console: (\S+)\n/;

async function signIn(url: string, token: string): Promise<string> {
  const res = await fetch(new URL("/login", url), { method: "POST", body: new URLSearchParams({ token }), redirect: "manual" });
  expect(res.status).toBe(303);
  return /vg_session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0] ?? "";
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("close", () => resolve());
    child.kill("SIGKILL");
  });
}

// Here, not in a finally: a test that times out never reaches its finally, and a daemon left
// running would keep the tmpfs busy.
let child: ChildProcess | undefined;
let disk: SmallDisk | undefined;
afterAll(async () => {
  if (child) await killed(child);
  disk?.unmount();
});

it.runIf(isRoot)(`killed and restarted ${ROUNDS} times on a full disk: up degraded every time, sign-in and the alarm each time`, async () => {
  disk = smallDisk();
  const config = join(mkdtempSync(join(tmpdir(), "vg-loop-")), "gateway.yaml");
  writeFileSync(config, TEST_CONFIG.replace("level: error", "level: info"));
  const run = ["run", "--config", config, "--data-dir", join(disk.dir, "data")];
  child = (await startCli(run, READY)).child; // the first start, with room: makes the reserve
  const token = (await runCli(["token", "create", "--role", "nurse", "--name", "n", "--data-dir", join(disk.dir, "data")])).stdout.trim();
  expect(token).toMatch(/^vgt_/);
  await killed(child);
  disk.fill();
  for (let round = 1; round <= ROUNDS; round++) {
    const spawnedAt = Date.now();
    const started = await startCli(run, READY); // rejects if the daemon exits before it is ready
    console.log(`full disk, round ${round}: start to a served console in ${Date.now() - spawnedAt} ms (from source through tsx)`);
    child = started.child;
    const url = started.match[1] ?? "";
    expect((await fetch(new URL("/livez", url))).status).toBe(200);
    const ws = await WsClient.connect(url, { cookie: await signIn(url, token) });
    const snapshot = await ws.next(ofType("snapshot"));
    const alarm = snapshot.alerts.find((a) => a.cause === "technical:external:disk_full") ?? (await ws.next(ofType("alert", (m) => m.alert.cause === "technical:external:disk_full"), 20_000)).alert;
    expect(alarm.message).toMatch(/^storage full/);
    ws.close();
    await killed(child);
  }
}, 180_000);
