// Own file (own process under pool: forks): the backend choice is per process.
import { afterEach, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend, resetBackendChoice } from "../../src/adapters/tfjs/backend.js";

afterEach(() => resetBackendChoice());

describe("tfjs backend selection", () => {
  it("falls back to wasm when tfjs-node cannot load, and says why", async () => {
    const info = await initBackend({ importNode: () => Promise.reject(new Error("Cannot find module '@tensorflow/tfjs-node'")) });
    expect(info.backend).toBe("wasm");
    expect(info.fallbackReason).toMatch(/tfjs-node not loadable: Cannot find module/);
    expect(tf.getBackend()).toBe("wasm");
    expect(tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]).toBe(3);
  });

  it("falls back to wasm when tfjs-node loads but registers no 'tensorflow' backend", async () => {
    const info = await initBackend({ importNode: () => Promise.resolve({}) });
    expect(info.backend).toBe("wasm");
    expect(info.fallbackReason).toMatch(/did not register/);
  });

  it("the default importer works here: tfjs-node if installed, else wasm with a reason", async () => {
    const info = await initBackend();
    expect(["tensorflow", "wasm"]).toContain(info.backend);
    if (info.backend === "wasm") expect(info.fallbackReason).toMatch(/tfjs-node/);
  });

  it("is initialised once: later calls return the first choice", async () => {
    const a = await initBackend({ prefer: "wasm" });
    const b = await initBackend({ importNode: () => Promise.reject(new Error("unused")) });
    expect(b).toBe(a);
  });
});
