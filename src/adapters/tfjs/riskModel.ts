/**
 * The learned model: a small dense risk network over one feature window (features.ts).
 * Dense only: it trains on wasm (Conv1D training does not, §5.3 pitfall 7) and scores a 256-patient
 * batch in a few ms (§5.1). Seeded initialisers make training reproducible.
 */
import * as tfl from "@tensorflow/tfjs-layers";

export const HIDDEN_UNITS = [32, 16] as const;

export function buildRiskModel(featureCount: number, seed: number): tfl.LayersModel {
  const model = tfl.sequential();
  HIDDEN_UNITS.forEach((units, i) =>
    model.add(
      tfl.layers.dense({
        units,
        activation: "relu",
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + i }),
        kernelRegularizer: tfl.regularizers.l2({ l2: 1e-3 }),
        ...(i === 0 ? { inputShape: [featureCount] } : {}),
      }),
    ),
  );
  model.add(tfl.layers.dense({ units: 1, activation: "sigmoid", kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 99 }) }));
  return model;
}
