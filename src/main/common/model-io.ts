/**
 * Saves and loads a LayersModel as a folder holding model.json + weights.bin —
 * the standard tf.js format, so tfjs-node's file:// loader or an HTTP server
 * can read it too. Pure-JS tf.js has no file:// handler in Node, hence this.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describeFsError } from './fs-errors';

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

/** A saved model folder that is missing, unreadable or inconsistent. */
export class ModelIOError extends Error {
  override name = 'ModelIOError';
}

/**
 * Writes `model` into `dir` (which must exist) as model.json + weights.bin.
 * Callers that need atomicity write into a temp folder and rename it.
 */
export async function saveModelToDir(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData ?? new ArrayBuffer(0);
      const weights = tf.io.CompositeArrayBuffer.join(weightData);
      const manifest: tf.io.WeightsManifestConfig = [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }];
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        weightsManifest: manifest,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      // Weights first: a model.json is only present once its weights are.
      await writeFile(path.join(dir, WEIGHTS_FILE), new Uint8Array(weights));
      await writeFile(path.join(dir, MODEL_FILE), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/** Loads a model saved by saveModelToDir (or any single-folder tf.js LayersModel). */
export async function loadModelFromDir(dir: string): Promise<tf.LayersModel> {
  const modelJson = await readModelJson(dir);
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, (manifest) => readWeights(dir, manifest));
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw new ModelIOError(`Could not rebuild the model in ${dir}: ${(error as Error).message}. The folder may be from another model.`);
  }
}

async function readModelJson(dir: string): Promise<tf.io.ModelJSON> {
  const file = path.join(dir, MODEL_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ModelIOError(`Expected a saved model at ${file}, but it cannot be read (${describeFsError(error)}). Choose a folder holding model.json and weights.bin.`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelIOError(`Expected JSON in ${file}, got unparseable text. The file is corrupt; use another checkpoint.`);
  }
  const candidate = json as Partial<tf.io.ModelJSON> | null;
  if (typeof candidate !== 'object' || candidate === null || !candidate.modelTopology || !Array.isArray(candidate.weightsManifest)) {
    throw new ModelIOError(`Expected a tf.js LayersModel in ${file} (modelTopology + weightsManifest), got something else.`);
  }
  return candidate as tf.io.ModelJSON;
}

async function readWeights(dir: string, manifest: tf.io.WeightsManifestConfig): Promise<[tf.io.WeightsManifestEntry[], ArrayBuffer]> {
  const specs = manifest.flatMap((group) => group.weights);
  const buffers: Uint8Array[] = [];
  for (const group of manifest) {
    for (const name of group.paths) {
      // Weight files sit beside model.json; refusing other paths keeps reads inside dir.
      if (path.basename(name) !== name || name === '..' || name === '.') {
        throw new ModelIOError(`Expected a weights file name inside ${dir}, got "${name}".`);
      }
      try {
        buffers.push(await readFile(path.join(dir, name)));
      } catch (error) {
        throw new ModelIOError(`Expected weights file ${path.join(dir, name)} (listed in model.json), but it cannot be read (${describeFsError(error)}).`, { cause: error });
      }
    }
  }
  const data = tf.io.concatenateArrayBuffers(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer));
  const expected = specs.reduce((sum, spec) => sum + spec.shape.reduce((p, d) => p * d, 1) * bytesPerElement(spec), 0);
  if (data.byteLength !== expected) {
    throw new ModelIOError(`Expected ${expected} bytes of weights in ${dir}, got ${data.byteLength}. The weights file is truncated or from another model.`);
  }
  return [specs, data];
}

function bytesPerElement(spec: tf.io.WeightsManifestEntry): number {
  const stored = spec.quantization?.dtype ?? spec.dtype;
  if (stored === 'uint8' || stored === 'bool') return 1;
  if (stored === 'uint16' || stored === 'float16') return 2;
  return 4;
}
