/**
 * Model presets are data: one builder (src/main/training/models) turns any of
 * these layer lists into tf.js models. Keep each preset faithful to its
 * reference — the parameter totals are asserted in tests.
 */
import type { RecipeConfig } from './config';

/** One layer of a generator or discriminator, in Keras terms. */
export type LayerSpec =
  | { type: 'dense'; units: number; useBias: boolean }
  | { type: 'batchNorm'; momentum: number }
  | { type: 'leakyRelu'; alpha: number }
  | { type: 'relu' }
  | { type: 'reshape'; targetShape: [number, number, number] }
  | { type: 'flatten' }
  | { type: 'dropout'; rate: number }
  | ConvSpec;

/** A Conv2D or Conv2DTranspose layer. */
export interface ConvSpec {
  type: 'conv2d' | 'conv2dTranspose';
  filters: number;
  kernelSize: number;
  strides: number;
  padding: 'same' | 'valid';
  useBias: boolean;
  activation?: 'tanh' | 'sigmoid' | 'linear';
}

/** Default training hyper-parameters a preset ships with. */
export interface PresetTraining {
  batchSize: number;
  epochs: number;
  generatorLearningRate: number;
  generatorBeta1: number;
  discriminatorLearningRate: number;
  discriminatorBeta1: number;
}

export interface ModelPreset {
  name: PresetName;
  title: string;
  description: string;
  /** Square image side the generator produces and the discriminator reads. */
  imageSize: number;
  channels: 1 | 3;
  latentDim: number;
  generator: LayerSpec[];
  discriminator: LayerSpec[];
  training: PresetTraining;
  /** Training recipes this preset switches on by default (the seed presets have none). */
  recipes?: RecipeConfig;
}

export const PRESET_NAMES = ['tf-tutorial', 'seed-model-one', 'seed-model-four', 'dcgan-64', 'tiny', 'quick'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];
