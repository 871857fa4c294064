import { TestScheduler } from "rxjs/testing";
import { expect, it } from "vitest";
import { bleLinkConditionName, linkConditions } from "../../../src/adapters/ble/linkConditions.js";
import type { DeviceStatus, LinkState } from "../../../src/adapters/ble/status.js";
import { rig } from "../../core/alerting/helpers.js";

const st = (state: LinkState, deviceId = "d1", lastError?: string): DeviceStatus => ({
  address: "AA:BB:CC:DD:EE:FF", deviceId, state, since: 0, channels: [], failures: 0, ...(lastError === undefined ? {} : { lastError }),
});
const down = (id: string, why?: string) => ({ deviceId: id, condition: { name: bleLinkConditionName(id), present: true, message: `Bluetooth sensor ${id} not connected${why ? ` (${why})` : ""}` } });
const up = (id: string) => ({ deviceId: id, condition: { name: bleLinkConditionName(id), present: false, message: `Bluetooth sensor ${id} connected` } });

it("emits a device's condition only when it flips; devices are independent; shutdown emits nothing", () => {
  const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
  ts.run(({ hot, expectObservable }) => {
    const values = {
      c: st("connecting"), u: st("connected"), d: st("disconnected", "d1", "link lost"), r: st("connecting", "d1", "link lost"), s: st("stopped"),
      C: st("connecting", "d2"), U: st("connected", "d2"), S: st("stopped", "d2"),
    };
    // states:     c C u d r U u s S |
    // conditions: a b c d - e f - - |   (r keeps d1 down; stopped is silent)
    expectObservable(hot("cCudrUusS|", values).pipe(linkConditions())).toBe("abcd-ef--|", {
      a: down("d1"), b: down("d2"), c: up("d1"), d: down("d1", "link lost"), e: up("d2"), f: up("d1"),
    });
  });
});

it("the engine raises the condition for ids with ':' and capitals (a colon in the name was refused as bad_condition_name)", () => {
  for (const id of ["C0:FF:EE:00:11:22", "Strap-1", "c0ffee001122"]) {
    const conditions: { name: string; present: boolean; message: string }[] = [];
    const sub = new TestScheduler((a, e) => expect(a).toEqual(e));
    sub.run(({ cold }) => cold("d|", { d: st("disconnected", id) }).pipe(linkConditions()).subscribe((c) => conditions.push(c.condition)));
    const r = rig();
    expect(r.do((e) => e.onExternalCondition(conditions[0]!)).filter((e) => e.type === "note")).toEqual([]);
    const raised = r.wait(31_000).filter((e) => e.type === "raise");
    expect(raised.map((e) => (e.type === "raise" ? e.alert.cause : ""))).toEqual([`technical:external:${bleLinkConditionName(id)}`]);
  }
});
