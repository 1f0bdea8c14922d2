import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../../shared/config';
import type { TrainingConfigInput } from '../../../shared/config';
import { PRESETS } from '../../../shared/preset-catalog';
import { PRESET_NAMES } from '../../../shared/presets';
import type { LayerSpec } from '../../../shared/presets';
import { buildDiscriminator, buildGenerator, ModelBuildError } from './build';
import { effectivePreset, imageShapeOf } from './effective-preset';
import { summarizeModel } from './summary';

const built: tf.LayersModel[] = [];
const config = (input: TrainingConfigInput) => resolveTrainingConfig({ seed: 7, ...input });
const generator = (input: TrainingConfigInput) => track(buildGenerator(config(input)));
const discriminator = (input: TrainingConfigInput) => track(buildDiscriminator(config(input)));
function track(model: tf.LayersModel): tf.LayersModel {
  built.push(model);
  return model;
}

afterEach(() => {
  built.splice(0).forEach((model) => model.dispose());
});

describe('parameter totals match the references', () => {
  it.each([
    ['seed-model-one', 2_733_504, 2_700_352],
    ['seed-model-four', 2_478_595, 2_460_931],
    ['tf-tutorial', 2_330_944, 2_305_472],
  ] as const)('%s generator: %i total, %i trainable', (preset, total, trainable) => {
    const summary = summarizeModel(generator({ preset }));
    expect(summary.totalParams).toBe(total);
    expect(summary.trainableParams).toBe(trainable);
    expect(summary.nonTrainableParams).toBe(total - trainable);
  });

  it('tf-tutorial discriminator matches the tutorial (212,865)', () => {
    expect(summarizeModel(discriminator({ preset: 'tf-tutorial' })).totalParams).toBe(212_865);
  });

  it('tiny has a few thousand parameters per network', () => {
    for (const model of [generator({ preset: 'tiny' }), discriminator({ preset: 'tiny' })]) {
      const { totalParams } = summarizeModel(model);
      expect(totalParams).toBeGreaterThan(1_000);
      expect(totalParams).toBeLessThan(10_000);
    }
  });
});

describe('every preset builds and G → D round-trips shapes', () => {
  it.each(PRESET_NAMES)('%s', (preset) => {
    const g = generator({ preset });
    const d = discriminator({ preset });
    const { size, channels } = imageShapeOf(config({ preset }));
    expect(g.name).toBe('generator');
    expect(d.name).toBe('discriminator');
    expect(g.inputs[0]?.shape).toEqual([null, PRESETS[preset].latentDim]);
    expect(d.inputs[0]?.shape).toEqual([null, size, size, channels]);
    const { images, logits, min, max } = tf.tidy(() => {
      const fake = g.predict(tf.randomNormal([1, PRESETS[preset].latentDim], 0, 1, 'float32', 1)) as tf.Tensor;
      const out = d.predict(fake) as tf.Tensor;
      return { images: fake.shape, logits: out.shape, min: fake.min().dataSync()[0], max: fake.max().dataSync()[0] };
    });
    expect(images).toEqual([1, size, size, channels]);
    expect(logits).toEqual([1, 1]);
    expect(min).toBeGreaterThanOrEqual(-1);
    expect(max).toBeLessThanOrEqual(1);
  });

  it('discriminator outputs raw logits, not sigmoid probabilities', () => {
    const d = discriminator({ preset: 'tiny' });
    expect(d.layers.at(-1)?.getConfig().activation).toBe('linear');
  });
});

describe('seeded initialisation', () => {
  const weightsOf = (model: tf.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

  it('the same seed gives the same weights; another seed does not', () => {
    const a = weightsOf(generator({ preset: 'tiny', seed: 3 }));
    const b = weightsOf(generator({ preset: 'tiny', seed: 3 }));
    const c = weightsOf(generator({ preset: 'tiny', seed: 4 }));
    expect(b).toEqual(a);
    expect(c[0]).not.toEqual(a[0]);
  });

  it('layers of the same shape get different initial kernels', () => {
    // seed-model-four has two 5×5×128×128 convs: a shared seed would make them equal.
    const g = generator({ preset: 'seed-model-four', seed: 3 });
    const kernel = (name: string) => Array.from(g.getLayer(name).getWeights()[0]?.dataSync().slice(0, 64) ?? []);
    expect(g.getLayer('conv2d_1').getWeights()[0]?.shape).toEqual(g.getLayer('conv2d_2').getWeights()[0]?.shape);
    expect(kernel('conv2d_1')).not.toEqual(kernel('conv2d_2'));
  });
});

describe('overrides', () => {
  const specsOf = (specs: LayerSpec[], type: LayerSpec['type']) => specs.filter((spec) => spec.type === type);

  it('latentDim sets the generator input', () => {
    expect(generator({ preset: 'tiny', latentDim: 5 }).inputs[0]?.shape).toEqual([null, 5]);
  });

  it('filterScale scales conv filters and the projection, never the image conv', () => {
    const preset = effectivePreset(config({ preset: 'seed-model-one', filterScale: 0.5 }));
    expect(preset.generator[0]).toEqual({ type: 'dense', units: 8 * 8 * 128, useBias: false });
    expect(specsOf(preset.generator, 'reshape')).toEqual([{ type: 'reshape', targetShape: [8, 8, 128] }]);
    expect(specsOf(preset.generator, 'conv2dTranspose').map((s) => 'filters' in s && s.filters)).toEqual([64, 32, 3]);
    expect(specsOf(preset.discriminator, 'conv2d').map((s) => 'filters' in s && s.filters)).toEqual([32, 64]);
    expect(specsOf(preset.discriminator, 'dense')).toEqual([{ type: 'dense', units: 1, useBias: true }]);
  });

  it('filterScale rounds to at least one filter and still builds', () => {
    const preset = effectivePreset(config({ preset: 'tiny', filterScale: 0.01 }));
    expect(specsOf(preset.generator, 'reshape')).toEqual([{ type: 'reshape', targetShape: [4, 4, 1] }]);
    const g = generator({ preset: 'tiny', filterScale: 0.01 });
    expect(g.outputs[0]?.shape).toEqual([null, 16, 16, 1]);
  });

  it('BN momentum, LeakyReLU alpha and dropout reach the built layers', () => {
    const input = { preset: 'tiny', batchNormMomentum: 0.5, leakyReluAlpha: 0.05, dropout: 0.1 } as const;
    const layers = [...generator(input).layers, ...discriminator(input).layers];
    const configsOf = (className: string) =>
      layers.filter((layer) => layer.getClassName() === className).map((layer) => layer.getConfig());
    expect(configsOf('BatchNormalization').map((c) => c.momentum)).toEqual([0.5, 0.5]);
    expect(configsOf('LeakyReLU').map((c) => c.alpha)).toEqual([0.05, 0.05, 0.05, 0.05]);
    expect(configsOf('Dropout').map((c) => c.rate)).toEqual([0.1]);
  });

  it('without overrides the preset is unchanged', () => {
    const preset = effectivePreset(config({ preset: 'seed-model-four' }));
    expect(preset.generator).toEqual(PRESETS['seed-model-four'].generator);
    expect(preset.discriminator).toEqual(PRESETS['seed-model-four'].discriminator);
  });
});

describe('a preset that does not fit its image shape', () => {
  it('fails with a ModelBuildError naming the expected and actual shapes', () => {
    const original = PRESETS.tiny.generator;
    // A generator that forgets its last upsampling conv yields 8×8×8, not 16×16×1.
    PRESETS.tiny.generator = original.slice(0, -1);
    try {
      expect(() => buildGenerator(config({ preset: 'tiny' }))).toThrow(ModelBuildError);
      expect(() => buildGenerator(config({ preset: 'tiny' }))).toThrow(/expected generator output \[16, 16, 1\], got \[8, 8, 8\]/);
    } finally {
      PRESETS.tiny.generator = original;
    }
  });
});
