/**
 * Fuzzing every way in (issue 9 item 8 and the bad-input promise): `frames` seeded frames, 90 %
 * MQTT over the real broker on every topic form, 5 % WebSocket messages on a logged-in console,
 * 5 % raw HTTP requests. Between batches /livez must answer within 5 s (else a hang); the child
 * must never exit (a crash); RSS and the volume of its logs are measured.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../helpers/mosquitto.js";
import { startBroker } from "../lib/broker.js";
import { createToken } from "../lib/cli.js";
import { writeConfig } from "../lib/config.js";
import { Console } from "../lib/console.js";
import { httpRequest, mqttFrame, wsMessage } from "../lib/fuzzFrames.js";
import { livez, startGatewayChild, type GatewayChild } from "../lib/gatewayChild.js";
import { onCleanup } from "../lib/owned.js";
import { connectPublisher } from "../lib/publisher.js";
import { rawHttp } from "../lib/rawHttp.js";
import { prng, sleep } from "../lib/wait.js";
import type { SuiteOptions } from "../options.js";
import { atMost, type ScenarioResult } from "../report.js";

const BATCH = 500;
/** Bounded log volume: today's 250 B per bad frame fills a disk; the rate limit must bring it near zero. */
const MAX_LOG_BYTES_PER_FRAME = 20;
/** Bounded RSS: growth after the first tenth of the run (warm-up: JIT, caches) must not scale with frames. */
const MAX_RSS_GROWTH_MB = 64;

export async function fuzz(o: SuiteOptions): Promise<ScenarioResult> {
  const r = prng(o.seed);
  const broker = await startBroker();
  const releaseBroker = onCleanup(() => broker.stop());
  const dataDir = mkdtempSync(join(tmpdir(), "vg-faults-fuzz-"));
  const httpPort = await freePort();
  const configFile = writeConfig({ dataDir, httpPort, mqttUrl: broker.url, patients: 1 });
  const { token } = await createToken(o.bin, dataDir, "nurse", "fault-suite fuzzer");
  let gateway: GatewayChild | undefined;
  const bridge = await connectPublisher(broker.url);
  const counts = { mqtt: 0, ws: 0, http: 0, hangs: 0, http5xx: 0, httpNoAnswer: 0, wsReconnects: 0 };
  try {
    gateway = await startGatewayChild({ bin: o.bin, configFile, httpPort });
    const g = gateway;
    let nurse = await Console.open(g.url, { authorization: `Bearer ${token}` });
    await sleep(1000);
    const logAtStart = g.output();
    const rssStart = g.rssKb() ?? 0;
    let rssWarm: number | undefined;
    let rssMax = rssStart;
    const started = Date.now();
    let done = 0;
    while (done < o.frames && g.alive()) {
      const n = Math.min(BATCH, o.frames - done);
      const https: Promise<void>[] = [];
      for (let i = 0; i < n; i++) {
        const roll = r();
        if (roll < 0.9) {
          const { topic, payload } = mqttFrame(r);
          bridge.publish(topic, payload, { qos: 0 });
          counts.mqtt++;
        } else if (roll < 0.95) {
          if (!nurse.open) {
            nurse = await Console.open(g.url, { authorization: `Bearer ${token}` }); // a >4 KiB message closes it, by design
            counts.wsReconnects++;
          }
          nurse.send(wsMessage(r));
          counts.ws++;
        } else {
          counts.http++;
          https.push(
            rawHttp(httpPort, httpRequest(r, `127.0.0.1:${httpPort}`)).then((status) => {
              if (status === null) counts.httpNoAnswer++;
              else if (status >= 500) counts.http5xx++;
            }),
          );
        }
      }
      await Promise.all(https);
      done += n;
      // Back-pressure and the hang probe in one: the daemon must answer between batches.
      if (!(await livez(g.url, 5000))) counts.hangs++;
      const rss = g.rssKb() ?? 0;
      rssMax = Math.max(rssMax, rss);
      if (rssWarm === undefined && done >= o.frames / 10) rssWarm = rss;
    }
    await sleep(2000); // the last frames are decoded and logged
    const alive = g.alive();
    const rssEnd = g.rssKb() ?? 0;
    const log = g.output();
    const logBytes = log.bytes - logAtStart.bytes;
    const logLines = log.lines - logAtStart.lines;
    const minutes = (Date.now() - started) / 60_000;
    nurse.close();
    const growthMb = (rssEnd - (rssWarm ?? rssStart)) / 1024;
    return {
      scenario: "fuzz (MQTT topics, WebSocket, HTTP)",
      figures: {
        "frames": done,
        "mqtt frames": counts.mqtt,
        "ws messages": counts.ws,
        "http requests": counts.http,
        "frames per s": done / (minutes * 60),
        "crashes (exits)": alive ? 0 : 1,
        "exit": alive ? "none" : String(g.exitCode()),
        "hangs (/livez > 5 s)": counts.hangs,
        "http 5xx answers": counts.http5xx,
        "http requests without answer in 3 s": counts.httpNoAnswer,
        "ws reconnects (closed by server)": counts.wsReconnects,
        "rss start MB": rssStart / 1024,
        "rss max MB": rssMax / 1024,
        "rss end MB": rssEnd / 1024,
        "rss growth after warm-up MB": growthMb,
        "log bytes": logBytes,
        "log lines": logLines,
        "log bytes per frame": logBytes / done,
        "log lines per minute": logLines / minutes,
      },
      checks: [
        atMost("crashes (the daemon exited)", alive ? 0 : 1, 0),
        atMost("hangs (/livez unanswered for 5 s)", counts.hangs, 0),
        atMost("HTTP 5xx answers to bad requests", counts.http5xx, 0),
        atMost("RSS growth after warm-up", growthMb, MAX_RSS_GROWTH_MB, " MB"),
        atMost("log bytes per fuzzed frame", logBytes / done, MAX_LOG_BYTES_PER_FRAME, " B"),
      ],
    };
  } finally {
    await bridge.endAsync(true).catch(() => undefined);
    await gateway?.stop();
    await releaseBroker();
  }
}
