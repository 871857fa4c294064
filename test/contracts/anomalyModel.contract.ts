/**
 * Contract every AnomalyModel must keep (run against the tfjs adapter and the fake):
 * synchronous batch scoring, one finite score in [0, 1] per window in order, a version, and
 * "unavailable" (never a throw) for malformed input.
 */
import { describe, expect, it } from "vitest";
import type { AnomalyModel } from "../../src/ports/anomalyModel.js";
import { featuresOf } from "../../src/core/anomaly/features.js";
import { newPatientState, observe, tick } from "../../src/core/anomaly/patientState.js";

const H = 3_600_000;

function window(hrValue: number, rr: number, sbp: number): Float32Array {
  let s = newPatientState();
  for (let h = 1; h <= 6; h++) {
    s = observe(s, { input: "heart_rate", value: hrValue, time: h * H - 1 });
    s = observe(s, { input: "respiratory_rate", value: rr, time: h * H - 1 });
    s = observe(s, { input: "systolic_bp", value: sbp, time: h * H - 1 });
    s = tick(s, h * H, false);
  }
  return featuresOf(s);
}

export function anomalyModelContract(name: string, make: () => Promise<AnomalyModel>): void {
  describe(`AnomalyModel contract: ${name}`, () => {
    it("has metadata with a version and a feature count matching the feature builder", async () => {
      const m = await make();
      expect(m.metadata.version).toMatch(/\S/);
      expect(m.metadata.featureCount).toBe(window(80, 16, 120).length);
      expect(m.metadata.clearBelow).toBeLessThanOrEqual(m.metadata.threshold);
    });

    it("scores a batch synchronously: one finite score in [0, 1] per window, in order", async () => {
      const m = await make();
      const calm = window(75, 15, 125);
      const sick = window(135, 30, 85);
      const r = m.scoreBatch([calm, sick, calm]);
      if (r.status !== "ok") throw new Error(r.reason);
      expect(r.scores).toHaveLength(3);
      expect(r.version).toBe(m.metadata.version);
      for (const s of r.scores) expect(s >= 0 && s <= 1).toBe(true);
      expect(r.scores[0]).toBeCloseTo(r.scores[2]!, 6);
      expect(r.scores[1]!).toBeGreaterThan(r.scores[0]!); // NEWS2 17-ish vs 0
    });

    it("batch scoring equals one-by-one scoring", async () => {
      const m = await make();
      const ws = [window(60, 12, 140), window(110, 24, 95), window(45, 9, 180)];
      const batch = m.scoreBatch(ws);
      const single = ws.map((w) => m.scoreBatch([w]));
      if (batch.status !== "ok") throw new Error(batch.reason);
      single.forEach((s, i) => {
        if (s.status !== "ok") throw new Error(s.reason);
        expect(s.scores[0]).toBeCloseTo(batch.scores[i]!, 5);
      });
    });

    it("an empty batch is ok and empty", async () => {
      const r = (await make()).scoreBatch([]);
      expect(r.status).toBe("ok");
      if (r.status === "ok") expect(r.scores).toHaveLength(0);
    });

    it("a window of the wrong length is 'unavailable' with a reason, not a throw", async () => {
      const r = (await make()).scoreBatch([new Float32Array(3)]);
      expect(r.status).toBe("unavailable");
      if (r.status === "unavailable") expect(r.reason).toMatch(/features/);
    });
  });
}
