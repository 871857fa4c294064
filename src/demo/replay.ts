/**
 * Plays tracks over MQTT as simulated devices, `speed` recorded minutes per real minute, looping.
 * It is an ordinary MQTT client of the broker: the gateway cannot tell it from a real bridge.
 */
import mqtt from "mqtt";
import type { Logger } from "../ports/logger.js";
import type { Track } from "./recordings.js";

export interface Replay {
  /** Messages published so far. */
  readonly published: () => number;
  stop(): Promise<void>;
}

export async function startReplay(url: string, prefix: string, tracks: readonly Track[], speed: number, log: Logger): Promise<Replay> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: `vitals-demo-${process.pid}`, reconnectPeriod: 1000 });
  const started = Date.now();
  const cursors = tracks.map(() => ({ index: 0, loop: 0 }));
  let published = 0;
  const tick = () => {
    const recordedMinutes = ((Date.now() - started) / 60_000) * speed;
    tracks.forEach((track, t) => {
      const c = cursors[t];
      if (!c || track.messages.length === 0) return;
      for (;;) {
        const m = track.messages[c.index];
        if (!m || m.atMinute + c.loop * track.durationMinutes > recordedMinutes) break;
        client.publish(`${prefix}/${m.topic}`, m.payload, { qos: 1 });
        published++;
        if (++c.index === track.messages.length) {
          c.index = 0;
          c.loop++;
          log.log("info", "demo recording looped", { track: track.name, loop: c.loop });
        }
      }
    });
  };
  const timer = setInterval(tick, 100);
  return {
    published: () => published,
    async stop() {
      clearInterval(timer);
      await client.endAsync();
    },
  };
}
