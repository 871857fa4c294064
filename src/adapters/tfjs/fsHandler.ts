/**
 * tf.io.IOHandler over the local file system, for tfjs without tfjs-node (which alone has
 * `file://`; research/anomaly-detection.md §5.3 pitfalls 1–3, code from §5.4). Writes the standard
 * Layers format (model.json + weights.bin), so tfjs-node and Python tensorflowjs read it too.
 */
import * as tf from "@tensorflow/tfjs-core";
import { promises as fs } from "node:fs";
import * as path from "node:path";

export class ModelFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "ModelFileError";
  }
}

async function readOrExplain(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelFileError(file, code === "ENOENT" ? "missing" : `unreadable (${code ?? (e as Error).message})`);
  }
}

export function fileSystemHandler(dir: string): tf.io.IOHandler {
  const jsonPath = path.join(dir, "model.json");
  return {
    async save(artifacts) {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error("graph models unsupported");
      await fs.mkdir(dir, { recursive: true });
      const wd = artifacts.weightData ?? new ArrayBuffer(0);
      const weights = Array.isArray(wd) ? tf.io.CompositeArrayBuffer.join(wd) : wd;
      // JSON.stringify drops the undefined optional fields; the cast only states that.
      const modelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        userDefinedMetadata: artifacts.userDefinedMetadata,
        weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }],
      } as tf.io.ModelJSON;
      await fs.writeFile(path.join(dir, "weights.bin"), Buffer.from(weights)); // weights first,
      await fs.writeFile(`${jsonPath}.tmp`, `${JSON.stringify(modelJSON)}\n`);
      await fs.rename(`${jsonPath}.tmp`, jsonPath); // then an atomic model.json
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(modelJSON) };
    },
    async load() {
      const text = (await readOrExplain(jsonPath)).toString("utf8");
      let modelJSON: tf.io.ModelJSON;
      try {
        modelJSON = JSON.parse(text) as tf.io.ModelJSON;
      } catch (e) {
        throw new ModelFileError(jsonPath, `not valid JSON (${(e as Error).message})`);
      }
      if (typeof modelJSON !== "object" || modelJSON === null || !modelJSON.modelTopology || !Array.isArray(modelJSON.weightsManifest)) {
        throw new ModelFileError(jsonPath, "not a tfjs Layers model (modelTopology or weightsManifest missing)");
      }
      return tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        const specs = manifest.flatMap((g) => g.weights);
        const bufs = await Promise.all(
          manifest
            .flatMap((g) => g.paths)
            .map(async (p) => {
              const b = await readOrExplain(path.join(dir, p));
              return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
            }),
        );
        const joined = tf.io.CompositeArrayBuffer.join(bufs);
        const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
        if (joined.byteLength !== expected) {
          throw new ModelFileError(path.join(dir, "weights.bin"), `${joined.byteLength} bytes, manifest expects ${expected} (truncated or corrupt)`);
        }
        return [specs, joined];
      });
    },
  };
}
