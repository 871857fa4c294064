/**
 * Every link through the one operator, as the gateway wires them (src/compose/links.ts): which
 * patient a condition lands on, its engine-valid name, one grace per link, and shutdown silence.
 * (Replaces the marble tests of the three operators this replaced: ble linkConditions, ble
 * sensorLost, upstream linkCondition.)
 */
import { map, NEVER, type Observable } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { expect, it } from "vitest";
import type { DeviceStatus, LinkState as BleState } from "../../src/adapters/ble/status.js";
import type { UpstreamLinkState, UpstreamLinkStatus } from "../../src/adapters/upstream/publisher.js";
import { linkInputs, type GatewayLinks } from "../../src/compose/links.js";
import type { AlertingSubmission } from "../../src/core/alerting/alertingPerPatient.js";
import { CONDITION_NAME } from "../../src/core/pipeline/conditionName.js";

const graces = { localMs: 10, upstreamMs: 20 };
const patientOf = (id: string) => (id === "C0:FF:EE:00:11:22" ? "p1" : undefined);
const idle: GatewayLinks = { broker: NEVER, bluez: NEVER, bleSensors: NEVER, upstream: NEVER, nurses: NEVER, storage: NEVER };
const summary = (s: AlertingSubmission) => {
  if (s.input.type !== "technical") throw new Error("a link gives technical inputs only");
  expect(s.input.condition.name).toMatch(CONDITION_NAME);
  expect(s.input.condition.settled).toBe(true); // its grace was applied: the engine adds none (issue 13 item 2)
  return `${s.input.patientId}|${s.input.condition.name}|${s.input.condition.present ? "lost" : "back"}|${s.input.condition.message}`;
};
const run = (ts: TestScheduler, links: Partial<GatewayLinks>): Observable<string> => linkInputs({ ...idle, ...links }, graces, patientOf, ts).pipe(map(summary));

const ble = (state: BleState, deviceId: string, lastError?: string): DeviceStatus => ({ address: "C0:FF:EE:00:11:22", deviceId, state, since: 0, channels: [], failures: 0, ...(lastError === undefined ? {} : { lastError }) });

it("BLE sensors: per device, on their patient (unassigned: the gateway), after the grace, with a valid name; reconnecting is one outage; shutdown is silent", () => {
  const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
  ts.run(({ hot, expectObservable }) => {
    const values = {
      d: ble("disconnected", "C0:FF:EE:00:11:22", "link lost"), r: ble("connecting", "C0:FF:EE:00:11:22", "link lost"), u: ble("connected", "C0:FF:EE:00:11:22"), s: ble("stopped", "C0:FF:EE:00:11:22"),
      D: ble("disconnected", "strap2"), U: ble("connected", "strap2"), S: ble("stopped", "strap2"),
    };
    const name = "ble_link..c0._.f.f._.e.e._00._11._22"; // conditionNameFor's escape of capitals and ':'
    expectObservable(run(ts, { bleSensors: hot("uDdr 20ms u U d s S |", values) })).toBe("11ms ab 11ms c d", {
      a: "_gateway|ble_link.strap2|lost|Bluetooth sensor strap2 not connected",
      b: `p1|${name}|lost|Bluetooth sensor C0:FF:EE:00:11:22 not connected (link lost)`,
      c: `p1|${name}|back|Bluetooth sensor C0:FF:EE:00:11:22 connected`,
      d: "_gateway|ble_link.strap2|back|Bluetooth sensor strap2 connected",
    });
  });
});

it("the upstream link has its own grace; stopped is not a return", () => {
  const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
  const st = (state: UpstreamLinkState, error?: string): UpstreamLinkStatus => ({ state, since: 0, ...(error === undefined ? {} : { error }) });
  ts.run(({ hot, expectObservable }) => {
    const values = { c: st("connecting"), u: st("up"), d: st("down", "ECONNREFUSED"), s: st("stopped") };
    expectObservable(run(ts, { upstream: hot("u d 5ms c 30ms u 5ms d s |", values) })).toBe("21ms a 16ms b", {
      a: "_gateway|upstream_link|lost|Upstream link to the central broker down for over 0 s (ECONNREFUSED): data is kept and sent when it returns",
      b: "_gateway|upstream_link|back|Upstream link to the central broker restored",
    });
  });
});

it("broker, Bluetooth, nurse consoles and storage: on the gateway; storage has no grace and names a full disk", () => {
  const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
  ts.run(({ hot, expectObservable }) => {
    const v = { u: { up: true }, d: { up: false, why: "ECONNRESET" }, f: { up: false, why: "SQLITE_FULL" } };
    expectObservable(run(ts, { broker: hot("u d 20ms u", v), storage: hot("-- f 3ms u", v), nurses: hot("d", v) })).toBe("-- a 3ms b 3ms c d 10ms e", {
      a: "_gateway|storage_full|lost|storage full: alerts are not being persisted (they are shown from memory and written when the disk takes them again)",
      b: "_gateway|storage_full|back|Storage writable again: alerts are persisted",
      c: "_gateway|no_nurse_client|lost|No nurse console is connected",
      d: "_gateway|mqtt_broker|lost|Sensor broker unreachable for over 0 s (ECONNRESET): no MQTT sensor data is arriving, for any patient",
      e: "_gateway|mqtt_broker|back|Sensor broker reachable again",
    });
  });
});
