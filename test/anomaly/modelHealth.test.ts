import { describe, expect, it } from "vitest";
import { HEALTHY, modelHealthStep, type ModelHealth } from "../../src/core/anomaly/modelHealth.js";

describe("modelHealthStep", () => {
  it("raises the technical condition once after 3 failed ticks and clears on the first good one", () => {
    const seq = ["ok", "x", "x", "x", "x", "ok", "x"] as const;
    let h: ModelHealth = HEALTHY;
    const events: string[] = [];
    for (const s of seq) {
      const r = modelHealthStep(h, s === "ok" ? { status: "ok" } : { status: "unavailable", reason: "over time budget" });
      h = r.health;
      events.push(r.raise ? "raise" : r.clear ? "clear" : "-");
    }
    expect(events).toEqual(["-", "-", "-", "raise", "-", "clear", "-"]);
  });

  it("the condition names the reason and the run length", () => {
    let h: ModelHealth = HEALTHY;
    let raised;
    for (let i = 0; i < 3; i++) ({ health: h, raise: raised } = modelHealthStep(h, { status: "unavailable", reason: "model failed: OOM" }));
    expect(raised?.message).toMatch(/model failed: OOM; 3 ticks in a row/);
  });
});
