/**
 * The features scores are computed on, chosen per dataset:
 * - labelled (≥ 2 classes): the dataset's classifier (classifier.ts),
 *   trained once and cached in `<dataset cache>/classifier-v1/`
 *   (model.json + weights.bin + meta.json with its held-out accuracy,
 *   real images' recognisable % and feature scale); penultimate features
 *   (divided by their held-out RMS) + class probabilities.
 * - unlabelled: no training; images resized to 16×16 and projected onto
 *   PROJECTION_DIM fixed random Gaussian directions (a Johnson–Lindenstrauss
 *   projection: distances between images are kept, up to noise). KID runs on
 *   these; FID, precision/recall and recognisable % need the classifier.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetManifest } from '../../shared/dataset';
import type { DatasetReader } from '../data/reader';
import type { ScoreFeature } from '../../shared/scores';
import { scoreValueSchema } from '../../shared/scores';
import { z } from 'zod';
import { DatasetError } from '../data/errors';
import { cannotRead, isPermissionDenied } from '../common/fs-errors';
import { loadModelFromDir, saveModelToDir } from '../common/model-io';
import { classifierInputShape, featureAndClassModel, predictRows, trainClassifier } from './classifier';
import type { FeatureSet } from './features';
import { scoreRng } from './features';
import type { ImageSet } from './images';
import { conformImages } from './images';
import { datasetSplit } from './split';

export const CLASSIFIER_DIR = 'classifier-v1';
export const DEFAULT_CLASSIFIER_EPOCHS = 3;
export const PROJECTION_SIDE = 16;
export const PROJECTION_DIM = 64;

/** What the scores need from a dataset: its cache folder, manifest, labels and offset reads of its images (data/reader.ts). */
export type ScoringDataset = Pick<DatasetReader, 'dir' | 'manifest' | 'labels' | 'read'>;

/** Features (and, with a classifier, class probabilities) of images of any size. */
export interface FeatureNetwork {
  feature: ScoreFeature;
  /** True when probabilities come with the features (a classifier). */
  classifies: boolean;
  embed(images: ImageSet): Promise<{ features: FeatureSet; probabilities?: FeatureSet }>;
  dispose(): void;
}

const metaSchema = z.object({
  version: z.literal(1),
  datasetFingerprint: z.string(),
  classNames: z.array(z.string()),
  inputShape: z.object({ height: z.number(), width: z.number(), channels: z.union([z.literal(1), z.literal(3)]) }),
  epochs: z.number().int().positive(),
  accuracy: z.number().min(0).max(1),
  realRecognisable: scoreValueSchema,
  featureScale: z.number().positive(),
  heldOut: z.number().int().positive(),
  trainSeconds: z.number(),
  backend: z.string(),
  createdAt: z.string(),
});
type ClassifierMeta = z.infer<typeof metaSchema>;

export interface FeatureNetworkOptions {
  /** Classifier training epochs when it has to be trained (default DEFAULT_CLASSIFIER_EPOCHS). */
  epochs?: number;
  /** Training progress: batches done of total. */
  onProgress?: (done: number, total: number) => void;
}

/** True when the dataset can have a classifier (labels with at least two classes). */
export function hasClassifier(manifest: DatasetManifest): boolean {
  return manifest.hasLabels && manifest.classNames.length >= 2;
}

/** The dataset's feature network: its cached classifier (training it first if needed), or the random projection. */
export async function loadFeatureNetwork(dataset: ScoringDataset, options: FeatureNetworkOptions = {}): Promise<FeatureNetwork> {
  if (!hasClassifier(dataset.manifest) || !dataset.labels) return randomProjectionNetwork(dataset.manifest.channels);
  const dir = join(dataset.dir, CLASSIFIER_DIR);
  const cached = await readCachedClassifier(dir, dataset.manifest);
  if (cached) return classifierNetwork(cached.model, cached.meta, dataset.manifest);
  const started = performance.now();
  const epochs = options.epochs ?? DEFAULT_CLASSIFIER_EPOCHS;
  const split = datasetSplit(dataset.manifest.count);
  const { manifest } = dataset;
  const trained = await trainClassifier({
    read: (indices) => dataset.read(indices),
    shape: { height: manifest.height, width: manifest.width, channels: manifest.channels },
    labels: dataset.labels,
    classes: manifest.classNames.length,
    ...split,
    epochs,
    seed: 1,
    onProgress: options.onProgress,
  });
  const meta: ClassifierMeta = {
    version: 1,
    datasetFingerprint: manifest.source.fingerprint,
    classNames: manifest.classNames,
    inputShape: classifierInputShape(manifest),
    epochs,
    accuracy: trained.accuracy,
    realRecognisable: trained.realRecognisable,
    featureScale: trained.featureScale,
    heldOut: split.heldOut.length,
    trainSeconds: (performance.now() - started) / 1000,
    backend: tf.getBackend(),
    createdAt: new Date().toISOString(),
  };
  await saveClassifier(dir, trained.model, meta);
  return classifierNetwork(trained.model, meta, manifest);
}

/**
 * The cached classifier, or undefined when there is none or it is stale or damaged (it is then
 * retrained and replaced). One this user may not read throws, saying so: replacing it would
 * delete a good classifier (or fail to), and retraining it every time would cost minutes.
 */
async function readCachedClassifier(dir: string, manifest: DatasetManifest): Promise<{ model: tf.LayersModel; meta: ClassifierMeta } | undefined> {
  let meta: ClassifierMeta;
  try {
    const parsed = metaSchema.safeParse(JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')));
    if (!parsed.success) return undefined;
    meta = parsed.data;
  } catch (error) {
    if (isPermissionDenied(error)) throw unreadableClassifier(join(dir, 'meta.json'), error);
    return undefined;
  }
  // A classifier of another version of the dataset (or other classes) is retrained, not trusted.
  if (meta.datasetFingerprint !== manifest.source.fingerprint || meta.classNames.join('\n') !== manifest.classNames.join('\n')) return undefined;
  try {
    return { model: await loadModelFromDir(dir), meta };
  } catch (error) {
    if (isPermissionDenied(error)) throw unreadableClassifier(dir, error);
    return undefined;
  }
}

function unreadableClassifier(path: string, error: unknown): DatasetError {
  return new DatasetError(
    `The score classifier cached with the dataset cannot be read: ${cannotRead(path, error)}.`,
    'The cache is not damaged: give this user read access to the dataset folder, or run the studio as the user that imported it.',
  );
}

/**
 * Writes into a scratch folder and renames it into place, so readers never
 * see half a classifier. Two trainers that trained at once: the first rename
 * wins and the other's copy is dropped (both are valid).
 */
async function saveClassifier(dir: string, model: tf.LayersModel, meta: ClassifierMeta): Promise<void> {
  const scratch = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(scratch, { recursive: true });
  try {
    await saveModelToDir(model, scratch);
    await writeFile(join(scratch, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
    // What is there now is stale (it failed readCachedClassifier); replace it.
    await rm(dir, { recursive: true, force: true });
    await rename(scratch, dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function classifierNetwork(model: tf.LayersModel, meta: ClassifierMeta, manifest: DatasetManifest): FeatureNetwork {
  const both = featureAndClassModel(model);
  const { height, width, channels } = meta.inputShape;
  return {
    feature: {
      network: `classifier cnn-${height}x${width}x${channels} (${meta.classNames.length} classes + none, trained on "${manifest.name}")`,
      accuracy: meta.accuracy,
      realRecognisable: meta.realRecognisable,
    },
    classifies: true,
    async embed(images) {
      const [features, probabilities] = (await predictRows(both, conformImages(images, meta.inputShape))) as [FeatureSet, FeatureSet];
      for (let i = 0; i < features.data.length; i += 1) features.data[i]! /= meta.featureScale;
      return { features, probabilities };
    },
    dispose: () => model.dispose(),
  };
}

/** Fixed random projection of 16×16 pixels; needs no training. */
export function randomProjectionNetwork(channels: 1 | 3): FeatureNetwork {
  const inputDim = PROJECTION_SIDE * PROJECTION_SIDE * channels;
  const projection = scoreRng(0, 'projection', channels).normals(inputDim * PROJECTION_DIM);
  const scale = 1 / Math.sqrt(inputDim);
  return {
    feature: { network: `random projection of ${PROJECTION_SIDE}×${PROJECTION_SIDE} pixels to ${PROJECTION_DIM} dims (no labels, no training)` },
    classifies: false,
    async embed(images) {
      const small = conformImages(images, { height: PROJECTION_SIDE, width: PROJECTION_SIDE, channels });
      const data = new Float64Array(small.n * PROJECTION_DIM);
      for (let i = 0; i < small.n; i += 1) {
        const pixels = small.data.subarray(i * inputDim, (i + 1) * inputDim);
        for (let d = 0; d < PROJECTION_DIM; d += 1) {
          let dot = 0;
          // Centre pixels on 0 so the projection is not dominated by mean brightness.
          for (let k = 0; k < inputDim; k += 1) dot += (pixels[k]! - 0.5) * projection[d * inputDim + k]!;
          data[i * PROJECTION_DIM + d] = dot * scale;
        }
      }
      return { features: { data, n: small.n, dim: PROJECTION_DIM } };
    },
    dispose: () => undefined,
  };
}
