/**
 * The one model builder: walks a preset's LayerSpec[] into a tf.sequential
 * model. Kernel initializers are seeded from config.seed so a seeded run
 * starts from the same weights every time.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../../shared/config';
import type { LayerSpec } from '../../../shared/presets';
import { effectivePreset } from './effective-preset';
import { createLayer, LayerNamer } from './layer-factory';

/** A model whose layers do not fit the preset's image shape or latent size. */
export class ModelBuildError extends Error {
  override name = 'ModelBuildError';
}

/** The generator: [n, latentDim] noise → [n, size, size, channels] images in [-1, 1]. */
export function buildGenerator(config: TrainingConfig): tf.LayersModel {
  const preset = effectivePreset(config);
  const model = buildSequential('generator', preset.generator, [preset.latentDim], deriveSeed(config.seed, 1));
  expectShape(model, [preset.imageSize, preset.imageSize, preset.channels], config.preset);
  return model;
}

/** The discriminator: [n, size, size, channels] images → [n, 1] logits (no sigmoid). */
export function buildDiscriminator(config: TrainingConfig): tf.LayersModel {
  const preset = effectivePreset(config);
  const inputShape = [preset.imageSize, preset.imageSize, preset.channels];
  const model = buildSequential('discriminator', preset.discriminator, inputShape, deriveSeed(config.seed, 2));
  expectShape(model, [1], config.preset);
  return model;
}

function buildSequential(name: string, specs: LayerSpec[], inputShape: number[], modelSeed: number): tf.Sequential {
  const namer = new LayerNamer();
  const layers = specs.map((spec, index) =>
    createLayer(spec, namer.next(spec.type), deriveSeed(modelSeed, index), index === 0 ? { inputShape } : {}),
  );
  return tf.sequential({ name, layers });
}

function expectShape(model: tf.LayersModel, expected: number[], preset: string): void {
  const actual = (model.outputs[0]?.shape ?? []).slice(1);
  if (actual.join(',') !== expected.join(',')) {
    throw new ModelBuildError(
      `Preset "${preset}": expected ${model.name} output [${expected.join(', ')}], got [${actual.join(', ')}]. ` +
        'Check the preset\'s reshape target and conv strides.',
    );
  }
}

/**
 * Mixes a seed with a salt into a new 31-bit seed (murmur3's finaliser), so
 * every layer of both models gets its own reproducible initializer stream.
 */
export function deriveSeed(seed: number, salt: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 1;
}
