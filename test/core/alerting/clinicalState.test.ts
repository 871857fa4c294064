import { describe, expect, it } from "vitest";
import { nurse, rig, WALL0 } from "./helpers.js";

describe("PatientAlerting.clinical (the console's NEWS2 and nurse entries)", () => {
  it("scores each parameter and lists what is missing (ACVPU and oxygen not entered)", () => {
    const r = rig();
    r.feed({ respiratory_rate: 26, spo2: 97, systolic_bp: 120, heart_rate: 80, body_temperature: 37 }, 60_000);
    const c = r.engine.clinical();
    expect(c.news2.subscores.respiratory_rate).toBe(3);
    expect(c.news2.subscores.spo2).toBe(0);
    expect(c.news2.missing).toEqual(expect.arrayContaining(["consciousness", "air_or_oxygen"]));
    expect(c.news2.redScore).toBe(true);
    expect(c.acvpu).toBeUndefined();
    expect(c.onOxygen).toBeUndefined();
  });

  it("agrees with the NEWS2 alarm it shares a computation with", () => {
    const r = rig();
    r.feed({ respiratory_rate: 26, spo2: 91, systolic_bp: 95, heart_rate: 120, body_temperature: 39.5 }, 120_000);
    const alarm = r.engine.openAlerts().find((a) => a.cause === "news2");
    expect(alarm?.news2?.total).toBe(r.engine.clinical().news2.total);
  });

  it("shows the nurse's ACVPU with its wall time, and says when it is too old to score", () => {
    const r = rig({ acvpuMaxAgeMs: 60_000 });
    r.clock.t = 5000;
    r.do((e) => e.onClinicalInput({ type: "acvpu", value: "V", actor: nurse }));
    r.do((e) => e.onClinicalInput({ type: "oxygen", onOxygen: true, actor: nurse }));
    let c = r.engine.clinical();
    expect(c.acvpu).toEqual({ value: "V", setAt: WALL0 + 5000, current: true });
    expect(c.news2.subscores.consciousness).toBe(3);
    expect(c.onOxygen).toBe(true);
    r.wait(120_000);
    c = r.engine.clinical();
    expect(c.acvpu?.value).toBe("V");
    expect(c.acvpu?.current).toBe(false);
    expect(c.news2.missing).toContain("consciousness");
  });
});
