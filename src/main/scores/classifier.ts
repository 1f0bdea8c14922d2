/**
 * The feature network for labelled datasets: a small CNN trained on the
 * dataset's own training split to tell its classes apart, plus one more
 * class, "none of these", trained on noise and heavily corrupted images (so
 * garbage is not confidently given a real class). Its penultimate layer
 * (FEATURE_DIM numbers) feeds FID, KID and precision/recall; its softmax
 * feeds recognisable %. Runs on whatever tf backend is active (the trainer's
 * selection).
 */
import * as tf from '@tensorflow/tfjs';
import type { ScoreValue } from '../../shared/scores';
import { withMathRandom } from '../common/rng';
import { noneOfTheseImages } from './corrupt';
import type { FeatureSet } from './features';
import { scoreRng } from './features';
import type { ImageSet } from './images';
import { conformImages, imageSize, readImageSet, type ImageShape } from './images';
import { recognisable } from './recognisable';

export const FEATURE_DIM = 64;
export const FEATURE_LAYER = 'features';
const BATCH = 64;
/** Real training images used per epoch at most (a random subset of bigger datasets). */
const MAX_IMAGES_PER_EPOCH = 12000;
/** Held-out images read at once. */
const READ_CHUNK = 256;

/** The classifier's input: the dataset's side clamped to 16…32 px, its channels. */
export function classifierInputShape(dataset: { width: number; height: number; channels: 1 | 3 }): { height: number; width: number; channels: 1 | 3 } {
  const side = Math.min(32, Math.max(16, Math.min(dataset.width, dataset.height)));
  return { height: side, width: side, channels: dataset.channels };
}

/** Three stride-2 convolutions, a FEATURE_DIM dense layer (the features), softmax over classes + "none". */
export function buildClassifier(shape: { height: number; width: number; channels: number }, classes: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [shape.height, shape.width, shape.channels], filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: FEATURE_DIM, activation: 'relu', name: FEATURE_LAYER }));
  model.add(tf.layers.dense({ units: classes + 1, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

export interface TrainClassifierInput {
  /** Reads the dataset's images (uint8 NHWC, by offset); its image shape, labels and class count. */
  read(indices: ArrayLike<number>): Promise<Uint8Array>;
  shape: { height: number; width: number; channels: 1 | 3 };
  labels: Uint8Array;
  classes: number;
  train: Uint32Array;
  heldOut: Uint32Array;
  epochs: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

export interface TrainedClassifier {
  model: tf.LayersModel;
  /** Held-out accuracy in [0, 1] ("none of these" counts as wrong). */
  accuracy: number;
  /** Held-out real images' own recognisable %. */
  realRecognisable: ScoreValue;
  /**
   * Root-mean-square of the held-out images' features: features are divided
   * by it, so distances and kernels do not depend on the arbitrary scale of
   * the ReLU activations (KID's cubic kernel assumes features of order 1).
   */
  featureScale: number;
}

/** Trains the classifier on the training split and measures it on the held-out split. */
export async function trainClassifier(input: TrainClassifierInput): Promise<TrainedClassifier> {
  const inputShape = classifierInputShape(input.shape);
  // Initial weights draw from Math.random: give them a seeded stream, so a dataset's classifier is reproducible.
  const model = withMathRandom(scoreRng(input.seed, 'classifier-init'), () => buildClassifier(inputShape, input.classes));
  const rng = scoreRng(input.seed, 'classifier');
  const perEpoch = Math.min(input.train.length, MAX_IMAGES_PER_EPOCH);
  const noneShare = 1 / (input.classes + 1);
  const realPerBatch = Math.max(1, Math.round(BATCH * (1 - noneShare)));
  const batchesPerEpoch = Math.ceil(perEpoch / realPerBatch);
  const total = batchesPerEpoch * input.epochs;
  let done = 0;
  for (let epoch = 0; epoch < input.epochs; epoch += 1) {
    const order = rng.permutation(input.train.length);
    for (let b = 0; b < batchesPerEpoch; b += 1) {
      const indices = Array.from(order.subarray(b * realPerBatch, Math.min((b + 1) * realPerBatch, perEpoch)), (i) => input.train[i]!);
      const real = conformImages(await readImageSet(input, input.shape, indices), inputShape);
      // "None of these" examples are made fresh from other training images each batch.
      const noneCount = Math.max(2, BATCH - indices.length);
      const sources = Array.from({ length: noneCount }, () => input.train[Math.floor(rng.next() * input.train.length)]!);
      const none = noneOfTheseImages(conformImages(await readImageSet(input, input.shape, sources), inputShape), rng);
      const targets = [...indices.map((i) => input.labels[i]!), ...Array<number>(noneCount).fill(input.classes)];
      const x = tf.tensor4d(concat(real.data, none.data), [targets.length, inputShape.height, inputShape.width, inputShape.channels]);
      const y = tf.oneHot(tf.tensor1d(targets, 'int32'), input.classes + 1);
      try {
        await model.trainOnBatch(x, y);
      } finally {
        x.dispose();
        y.dispose();
      }
      done += 1;
      input.onProgress?.(done, total);
    }
  }
  const heldOut = await readConformed(input, input.heldOut, inputShape);
  const [features, probabilities] = (await predictRows(featureAndClassModel(model), heldOut)) as [FeatureSet, FeatureSet];
  const featureScale = Math.sqrt(features.data.reduce((sum, v) => sum + v * v, 0) / features.data.length) || 1;
  let correct = 0;
  for (let i = 0; i < probabilities.n; i += 1) {
    const row = probabilities.data.subarray(i * probabilities.dim, (i + 1) * probabilities.dim);
    if (argMax(row) === input.labels[input.heldOut[i]!]) correct += 1;
  }
  return { model, accuracy: correct / probabilities.n, realRecognisable: { ...recognisable(probabilities), n: probabilities.n }, featureScale };
}

/** Held-out images read and brought to `shape` a chunk at a time, so the full-size copies never pile up. */
async function readConformed(input: TrainClassifierInput, indices: Uint32Array, shape: ImageShape): Promise<ImageSet> {
  const size = imageSize(shape);
  const data = new Float32Array(indices.length * size);
  for (let start = 0; start < indices.length; start += READ_CHUNK) {
    const part = conformImages(await readImageSet(input, input.shape, indices.subarray(start, start + READ_CHUNK)), shape);
    data.set(part.data, start * size);
  }
  return { data, n: indices.length, ...shape };
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function argMax(row: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < row.length; k += 1) if (row[k]! > row[best]!) best = k;
  return best;
}

/**
 * The classifier with two outputs, penultimate features and class
 * probabilities, so one pass over the images gives both.
 */
export function featureAndClassModel(model: tf.LayersModel): tf.LayersModel {
  return tf.model({ inputs: model.inputs, outputs: [model.getLayer(FEATURE_LAYER).output as tf.SymbolicTensor, model.outputs[0]!] });
}

/** Runs a (one- or two-output) model over images at its input shape in batches, collecting each output's rows. */
export async function predictRows(model: tf.LayersModel, images: ImageSet): Promise<FeatureSet[]> {
  const [, height, width, channels] = model.inputs[0]!.shape as number[];
  if (images.height !== height || images.width !== width || images.channels !== channels) {
    throw new Error(`Classifier: expected ${height}×${width}×${channels} images, got ${images.height}×${images.width}×${images.channels}.`);
  }
  const size = imageSize(images);
  const dims = model.outputs.map((output) => (output.shape as number[])[1]!);
  const outputs = dims.map((dim) => ({ data: new Float64Array(images.n * dim), n: images.n, dim }));
  for (let start = 0; start < images.n; start += 256) {
    const count = Math.min(256, images.n - start);
    const predicted = tf.tidy(() => {
      const out = model.predict(tf.tensor4d(images.data.subarray(start * size, (start + count) * size), [count, height, width, channels]));
      return Array.isArray(out) ? out : [out];
    });
    for (let k = 0; k < predicted.length; k += 1) outputs[k]!.data.set(await predicted[k]!.data(), start * dims[k]!);
    predicted.forEach((tensor) => tensor.dispose());
  }
  return outputs;
}
