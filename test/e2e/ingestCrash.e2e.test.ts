/**
 * Nothing the broker acknowledged is lost when the gateway is killed (kill -9) mid-stream, and
 * nothing is stored twice: a real publisher sends QoS 1 heart-rate frames through a real
 * mosquitto into the gateway (a child process, from source) while the test kills and restarts it.
 * The frames carry no device time (the store cannot deduplicate them by key): each carries its
 * sequence number as the 16-bit heart-rate value, so loss and duplicates are counted exactly.
 * One graceful restart (SIGTERM) follows the kills. What this proves: a stable client id (the
 * broker keeps the session across restarts) and PUBACK only after the SQLite commit (nothing
 * acknowledged is still only in memory).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import mqtt from "mqtt";
import { expect, it, vi } from "vitest";
import { startCli, stopCli } from "../helpers/cli.js";
import { startMosquitto } from "../helpers/mosquitto.js";

const ROUNDS = Number(process.env["VG_CRASH_ROUNDS"] ?? 3); // more for a figure: VG_CRASH_ROUNDS=10
const PER_ROUND = 400; // acknowledged by the broker while the gateway runs, before each kill

it(`loses no broker-acknowledged reading and stores none twice over ${ROUNDS} kill -9 rounds`, { timeout: 60_000 + ROUNDS * 60_000 }, async () => {
  // mosquitto's default max_queued_messages (1000) would drop what arrives while the gateway restarts.
  const broker = await startMosquitto({ extraConf: "max_queued_messages 1000000\n" });
  const dir = mkdtempSync(join(tmpdir(), "vg-crash-"));
  const config = join(dir, "gateway.yaml");
  writeFileSync(
    config,
    `dataDir: ${join(dir, "data")}\nhttp: { port: 0 }\nmqtt: { url: "${broker.url}" }\nlogging: { level: error }\nanomaly: { enabled: false }\n` +
      `patients: [{ id: p1, label: Bed 1 }]\ndevices: [{ id: strap1, patient: p1 }]\n`,
  );
  const device = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
  const start = () => startCli(["run", "--config", config], /console: (http\S+)/);
  const kills: number[] = [];
  let gateway: ChildProcess | undefined;
  const acknowledged = new Set<number>();
  let next = 0;
  let publishing = true;
  // About 200 frames a second, 10 in flight: the broker queues them while the gateway is down.
  const publish = async () => {
    while (publishing) {
      await Promise.all(
        Array.from({ length: 10 }, () => {
          const seq = next++;
          return device.publishAsync("vitals/strap1/gatt/2a37", Buffer.from([0x01, seq & 0xff, seq >> 8]), { qos: 1 }).then(() => acknowledged.add(seq));
        }),
      );
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  try {
    // Its first start creates the broker session; from then on the broker keeps what we publish.
    gateway = (await start()).child;
    const publisher = publish();
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) gateway = (await start()).child;
      const target = acknowledged.size + PER_ROUND;
      await vi.waitFor(() => expect(acknowledged.size).toBeGreaterThanOrEqual(target), { timeout: 60_000, interval: 50 });
      kills.push(next);
      gateway.kill("SIGKILL");
      await new Promise((r) => gateway?.once("close", r));
    }
    // A graceful restart too: the last batch is committed and acknowledged before DISCONNECT.
    gateway = (await start()).child;
    const target = acknowledged.size + PER_ROUND / 4;
    await vi.waitFor(() => expect(acknowledged.size).toBeGreaterThanOrEqual(target), { timeout: 60_000, interval: 50 });
    await stopCli(gateway);
    const last = await start();
    gateway = last.child;
    publishing = false;
    await publisher;
    const sent = acknowledged.size;
    expect(sent).toBe(next); // the broker acknowledged every frame it was sent
    await vi.waitFor(() => expect(stored().size).toBe(sent), { timeout: 60_000, interval: 250 }).catch((e: unknown) => {
      const have = stored();
      const missing = [...acknowledged].filter((s) => !have.has(s)).sort((a, b) => a - b);
      console.log(JSON.stringify({ n: missing.length, first: missing.slice(0, 20), last: missing.slice(-5), kills }));
      throw e;
    });
    const metrics = await (await fetch(`${last.match[1]}metrics`)).text();
    const stat = (name: string) => Number(metrics.match(new RegExp(`^vg_mqtt_ingest\\{stat="${name}"\\} (\\d+)`, "m"))?.[1]);
    console.log(`last run: ${stat("pubacks")} PUBACKs in ${stat("puback_writes")} socket writes`);
    expect(stat("puback_writes")).toBeLessThan(stat("pubacks")); // batched, not one write per message
  } finally {
    publishing = false;
    if (gateway) await stopCli(gateway);
    await device.endAsync();
    await broker.stop();
  }
  const { values, rows } = storedRows();
  const lost = [...acknowledged].filter((seq) => !values.has(seq));
  expect({ lost: lost.length, duplicates: rows - values.size }).toEqual({ lost: 0, duplicates: 0 });
  console.log(`${ROUNDS} kill -9 rounds: ${acknowledged.size} frames acknowledged by the broker, ${values.size} stored, 0 lost, 0 duplicates`);

  function stored(): Set<number> {
    return storedRows().values;
  }
  function storedRows(): { values: Set<number>; rows: number } {
    const db = new Database(join(dir, "data", "readings.db"), { readonly: true });
    try {
      const all = db.prepare("SELECT value FROM readings WHERE vital = 'heart_rate'").all() as { value: number }[];
      return { values: new Set(all.map((r) => r.value)), rows: all.length };
    } finally {
      db.close();
    }
  }
});
