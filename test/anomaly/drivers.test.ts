import { describe, expect, it } from "vitest";
import { advisoryMessage, occludedWindows } from "../../src/core/anomaly/drivers.js";
import { MODEL_CHANNELS, type ModelChannel } from "../../src/core/anomaly/channels.js";
import { newPatientState, observe, tick, type PatientState } from "../../src/core/anomaly/patientState.js";
import { FakeAnomalyModel } from "../fakes/fakeAnomalyModel.js";
import { AnomalyRunner } from "../../src/core/anomaly/runner.js";
import type { AlertingInput } from "../../src/core/alerting/alerting.js";
import type { Reading } from "../../src/core/model.js";

const H = 3_600_000;
/** Six hourly steps: heart rate 80 → 135, SpO2 97 → 89, breathing 16 throughout, BP and temperature normal. */
const HOURS: Record<ModelChannel, number[]> = {
  heart_rate: [80, 90, 100, 112, 124, 135],
  spo2: [97, 96, 94, 92, 90, 89],
  respiratory_rate: [16, 16, 16, 16, 16, 16],
  systolic_bp: [125, 124, 126, 125, 124, 125],
  body_temperature: [37, 37, 37, 37, 37, 37],
};

function deteriorating(): PatientState {
  let s = newPatientState();
  for (let h = 0; h < 6; h++) {
    for (const c of MODEL_CHANNELS) s = observe(s, { input: c, value: HOURS[c][h]!, time: (h + 1) * H - 60_000 });
    s = tick(s, (h + 1) * H, false);
  }
  return s;
}

describe("what drives an advisory", () => {
  it("occludes one vital at a time: its mask is 0 in every step, the others untouched", () => {
    const windows = occludedWindows(deteriorating());
    expect(windows).toHaveLength(MODEL_CHANNELS.length);
    const hr = MODEL_CHANNELS.indexOf("heart_rate");
    for (let k = 0; k < 6; k++) {
      const base = (k * MODEL_CHANNELS.length + hr) * 3;
      expect(windows[hr]![base]).toBe(0); // heart-rate mask, step k
      expect(windows[MODEL_CHANNELS.indexOf("spo2")]![base]).toBe(1); // heart rate present when SpO2 is hidden
    }
  });

  it("names the vitals whose removal lowers the risk most, with their trend, in words", () => {
    const s = deteriorating();
    // Risk 0.6; without HR 0.35, without SpO2 0.5, without RR 0.6 (no contribution).
    const msg = advisoryMessage(s, 0.6, [0.35, 0.6, 0.6, 0.5, 0.6], "1.1.0");
    expect(msg).toBe("Deterioration risk 0.60: rising heart rate (80→135/min), falling SpO₂ (97→89 %) over 5 h; review trends; rules unchanged (model 1.1.0)");
  });

  it("a level, not a trend, is named without a duration", () => {
    // Breathing is steady at 16 and at its baseline: named by its value, and no "over N h".
    const msg = advisoryMessage(deteriorating(), 0.6, [0.6, 0.5, 0.6, 0.6, 0.6], "1.1.0");
    expect(msg).toBe("Deterioration risk 0.60: breathing rate 16/min; review trends; rules unchanged (model 1.1.0)");
  });

  it("says so when no single vital drives the risk, and never names a vital that lowers it", () => {
    const msg = advisoryMessage(deteriorating(), 0.6, [0.6, 0.61, 0.7, 0.6, 0.6], "1.1.0");
    expect(msg).toMatch(/no single vital stands out/);
    expect(msg).not.toMatch(/heart rate|SpO₂|breathing/);
  });

  it("the runner's advisory carries the drivers (scored by the model with each vital removed)", () => {
    const inputs: AlertingInput[] = [];
    let now = 0;
    const clock = { now: () => now, monotonic: () => now };
    const runner = new AnomalyRunner(new FakeAnomalyModel(), { threshold: 0.45, clearBelow: 0.4 }, clock, "gw", (i) => void inputs.push(i), () => false);
    const unit: Record<ModelChannel, string> = { heart_rate: "/min", spo2: "%", respiratory_rate: "/min", systolic_bp: "mm[Hg]", body_temperature: "Cel" };
    for (let h = 0; h < 6; h++) {
      for (const c of MODEL_CHANNELS) {
        const r: Reading = { patientId: "bed-1", deviceId: "d", vital: c, value: HOURS[c][h]!, unit: unit[c], time: (h + 1) * H - 60_000, receivedAt: (h + 1) * H - 60_000, quality: [] };
        runner.observe(r);
      }
      now = (h + 1) * H;
      runner.step();
    }
    const raised = inputs.filter((i) => i.type === "technical" && i.condition.kind === "advisory" && i.condition.present);
    expect(raised).toHaveLength(1);
    const msg = raised[0]!.type === "technical" ? raised[0]!.condition.message : "";
    // The fake model scores NEWS2: HR 135 (3) and SpO2 89 (3) drive it; breathing 16 scores 0.
    expect(msg).toMatch(/^Deterioration risk 0\.\d\d: (rising heart rate \(80→135\/min\), falling SpO₂ \(97→89 %\)|falling SpO₂ \(97→89 %\), rising heart rate \(80→135\/min\)) over 5 h/);
    expect(msg).not.toMatch(/breathing/);
  });
});
