/** An in-process SensorSource for unit tests: "publishing" routes the topic exactly as the MQTT adapter does. */
import { Subject } from "rxjs";
import { routeTopic } from "../../src/adapters/mqtt/topics.js";
import type { Diagnostic } from "../../src/core/errors.js";
import type { RawFrame } from "../../src/core/model.js";
import type { Clock } from "../../src/ports/clock.js";
import type { LinkState } from "../../src/core/link.js";
import type { SensorSource } from "../../src/ports/sensorSource.js";

export class FakeSensorSource implements SensorSource {
  readonly frames$ = new Subject<RawFrame>();
  readonly diagnostics$ = new Subject<Diagnostic>();
  readonly link$ = new Subject<LinkState>();
  connected = false;

  constructor(private readonly prefix: string, private readonly clock: Clock) {}

  start(): Promise<void> {
    this.connected = true;
    this.link$.next({ up: true });
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.connected = false;
    this.frames$.complete();
    this.diagnostics$.complete();
    this.link$.complete();
    return Promise.resolve();
  }

  publish(topic: string, payload: Uint8Array): void {
    if (!this.connected) return;
    const route = routeTopic(this.prefix, topic);
    if (!route.ok) return this.diagnostics$.next({ code: "bad_payload", message: `MQTT topic '${topic}': ${route.why}`, where: "mqtt" });
    if (payload.length === 0) return this.diagnostics$.next({ code: "bad_payload", message: "MQTT payload of 0 bytes", where: `device ${route.deviceId} mqtt topic ${topic}` });
    this.frames$.next({ deviceId: route.deviceId, source: route.source, channel: route.channel, bytes: payload, receivedAt: this.clock.now() });
  }
}
