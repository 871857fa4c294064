import { describe, expect, it } from "vitest";
import { bedRows, soundingPriority } from "../../src/console/beds.js";
import { initialState, reduce } from "../../src/console/state.js";
import { alert, snapshot } from "./fixtures.js";

const stateWith = (alerts: ReturnType<typeof alert>[]) => reduce(initialState(0), { type: "server", message: snapshot(alerts), at: 0 });

describe("bedRows", () => {
  it("puts the bed with the worst open alarm first, then beds without alarms in their configured order", () => {
    const rows = bedRows(stateWith([alert("a", "p1", "low"), alert("b", "p3", "high"), alert("c", "p3", "medium"), alert("d", "p1", "medium")]));
    expect(rows.map((r) => r.patientId)).toEqual(["p3", "p1", "p2"]);
    expect(rows[0]?.alerts.map((a) => a.id)).toEqual(["b", "c"]); // one row per bed, causes inside, worst first
    expect(rows[0]?.worst).toBe("high");
    expect(rows[2]?.worst).toBeUndefined();
  });

  it("ranks an unacknowledged alarm above an acknowledged one of the same priority, and an older one first", () => {
    const rows = bedRows(stateWith([alert("a", "p1", "high", "acknowledged", 1), alert("b", "p2", "high", "active", 5), alert("c", "p3", "high", "active", 3)]));
    expect(rows.map((r) => r.patientId)).toEqual(["p3", "p2", "p1"]);
    expect(rows[2]?.unhandled).toBe(false);
  });

  it("gives gateway conditions their own row", () => {
    const rows = bedRows(stateWith([alert("t", "_gateway", "medium")]));
    expect(rows[0]).toMatchObject({ patientId: "_gateway", label: "Gateway" });
  });
});

describe("soundingPriority", () => {
  it("is the worst active alarm; acknowledged and paused alarms are silent", () => {
    expect(soundingPriority(stateWith([alert("a", "p1", "high", "acknowledged"), alert("b", "p2", "medium")]))).toBe("medium");
    expect(soundingPriority(stateWith([alert("a", "p1", "high", "audio_paused")]))).toBeUndefined();
    expect(soundingPriority(stateWith([alert("a", "p1", "low"), alert("b", "p2", "high")]))).toBe("high");
  });
});
