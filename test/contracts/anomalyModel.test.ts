import { afterAll } from "vitest";
import { anomalyModelContract } from "./anomalyModel.contract.js";
import { FakeAnomalyModel } from "../fakes/fakeAnomalyModel.js";
import { loadTfjsAnomalyModel, type TfjsAnomalyModel } from "../../src/adapters/tfjs/tfjsAnomalyModel.js";

const loaded: TfjsAnomalyModel[] = [];
afterAll(() => loaded.forEach((m) => m.dispose()));

anomalyModelContract("tfjs (committed models/vitals-risk, wasm)", async () => {
  const { model } = await loadTfjsAnomalyModel("models/vitals-risk", { backend: "wasm" });
  loaded.push(model);
  return model;
});

anomalyModelContract("fake", () => Promise.resolve(new FakeAnomalyModel()));
