/**
 * The built-in presets. Sources:
 * - tf-tutorial: tensorflow.org/tutorials/generative/dcgan (28×28×1).
 * - seed-model-one / seed-model-four: the course report's generators (32×32×3).
 *   The report shows generators only, so both use the tutorial's
 *   discriminator applied to a 32×32×3 input (documented in docs/models.md).
 * - dcgan-64: Radford, Metz & Chintala 2015, 64×64×3.
 * - tiny: a few thousand parameters, 16×16×1, for tests and smoke runs.
 * - quick: a small DCGAN for 28×28×1 (the built-in Fashion-MNIST) with the
 *   recipes that make a first run recognisable in minutes (EMA generator).
 */
import type { ConvSpec, LayerSpec, ModelPreset, PresetName } from './presets';

type ConvOptions = Partial<Pick<ConvSpec, 'useBias' | 'activation' | 'padding'>>;

const conv = (
  filters: number,
  kernelSize: number,
  strides: number,
  extra: ConvOptions = {},
): LayerSpec => ({ type: 'conv2d', filters, kernelSize, strides, padding: 'same', useBias: true, ...extra });

const convT = (
  filters: number,
  kernelSize: number,
  strides: number,
  extra: ConvOptions = {},
): LayerSpec => ({ type: 'conv2dTranspose', filters, kernelSize, strides, padding: 'same', useBias: true, ...extra });

const bn = (momentum = 0.99): LayerSpec => ({ type: 'batchNorm', momentum });
const lrelu = (alpha = 0.3): LayerSpec => ({ type: 'leakyRelu', alpha });

/** The TF tutorial's discriminator; the input shape comes from the preset. */
const tutorialDiscriminator: LayerSpec[] = [
  conv(64, 5, 2),
  lrelu(),
  { type: 'dropout', rate: 0.3 },
  conv(128, 5, 2),
  lrelu(),
  { type: 'dropout', rate: 0.3 },
  { type: 'flatten' },
  { type: 'dense', units: 1, useBias: true },
];

const tfTutorial: ModelPreset = {
  name: 'tf-tutorial',
  title: 'TensorFlow DCGAN tutorial',
  description: 'The generator and discriminator from the TensorFlow DCGAN tutorial (MNIST, 28×28×1).',
  imageSize: 28,
  channels: 1,
  latentDim: 100,
  generator: [
    { type: 'dense', units: 7 * 7 * 256, useBias: false },
    bn(),
    lrelu(),
    { type: 'reshape', targetShape: [7, 7, 256] },
    convT(128, 5, 1, { useBias: false }),
    bn(),
    lrelu(),
    convT(64, 5, 2, { useBias: false }),
    bn(),
    lrelu(),
    convT(1, 5, 2, { useBias: false, activation: 'tanh' }),
  ],
  discriminator: tutorialDiscriminator,
  training: {
    batchSize: 256,
    epochs: 50,
    generatorLearningRate: 1e-4,
    generatorBeta1: 0.9,
    discriminatorLearningRate: 1e-4,
    discriminatorBeta1: 0.9,
  },
};

const seedModelOne: ModelPreset = {
  name: 'seed-model-one',
  title: 'Course Model One',
  description: 'The course baseline: the tutorial generator widened to 32×32×3 (2,733,504 generator parameters).',
  imageSize: 32,
  channels: 3,
  latentDim: 100,
  generator: [
    { type: 'dense', units: 8 * 8 * 256, useBias: false },
    bn(),
    lrelu(),
    { type: 'reshape', targetShape: [8, 8, 256] },
    convT(128, 5, 1, { useBias: false }),
    bn(),
    lrelu(),
    convT(64, 5, 2, { useBias: false }),
    bn(),
    lrelu(),
    convT(3, 5, 2, { useBias: false, activation: 'tanh' }),
  ],
  discriminator: tutorialDiscriminator,
  training: {
    batchSize: 64,
    epochs: 50,
    generatorLearningRate: 1e-4,
    generatorBeta1: 0.9,
    discriminatorLearningRate: 1e-4,
    discriminatorBeta1: 0.9,
  },
};

const bn09 = bn(0.9);
const lrelu01 = lrelu(0.1);
const seedModelFour: ModelPreset = {
  name: 'seed-model-four',
  title: 'Course Model Four',
  description:
    'The course improvement: conv/transposed-conv stacks with BatchNorm(0.9) + LeakyReLU(0.1), Adam lr 0.01 β1 0.5 (2,478,595 generator parameters).',
  imageSize: 32,
  channels: 3,
  latentDim: 100,
  generator: [
    { type: 'dense', units: 8 * 8 * 128, useBias: true },
    bn09,
    lrelu01,
    { type: 'reshape', targetShape: [8, 8, 128] },
    conv(128, 4, 1),
    bn09,
    lrelu01,
    convT(128, 4, 2),
    bn09,
    lrelu01,
    conv(128, 5, 1),
    bn09,
    lrelu01,
    convT(128, 4, 2),
    bn09,
    lrelu01,
    conv(128, 5, 1),
    bn09,
    lrelu01,
    conv(3, 5, 1, { activation: 'tanh' }),
  ],
  discriminator: tutorialDiscriminator,
  training: {
    batchSize: 16,
    epochs: 100,
    generatorLearningRate: 0.01,
    generatorBeta1: 0.5,
    discriminatorLearningRate: 0.01,
    discriminatorBeta1: 0.5,
  },
};

const dcgan64: ModelPreset = {
  name: 'dcgan-64',
  title: 'DCGAN (Radford et al.) 64×64',
  description: 'The original DCGAN: 4×4×1024 projection, four stride-2 transposed convs, BatchNorm, ReLU / LeakyReLU(0.2).',
  imageSize: 64,
  channels: 3,
  latentDim: 100,
  generator: [
    { type: 'dense', units: 4 * 4 * 1024, useBias: false },
    bn(0.9),
    { type: 'relu' },
    { type: 'reshape', targetShape: [4, 4, 1024] },
    convT(512, 5, 2, { useBias: false }),
    bn(0.9),
    { type: 'relu' },
    convT(256, 5, 2, { useBias: false }),
    bn(0.9),
    { type: 'relu' },
    convT(128, 5, 2, { useBias: false }),
    bn(0.9),
    { type: 'relu' },
    convT(3, 5, 2, { activation: 'tanh' }),
  ],
  discriminator: [
    conv(128, 5, 2),
    lrelu(0.2),
    conv(256, 5, 2, { useBias: false }),
    bn(0.9),
    lrelu(0.2),
    conv(512, 5, 2, { useBias: false }),
    bn(0.9),
    lrelu(0.2),
    conv(1024, 5, 2, { useBias: false }),
    bn(0.9),
    lrelu(0.2),
    { type: 'flatten' },
    { type: 'dense', units: 1, useBias: true },
  ],
  training: {
    batchSize: 128,
    epochs: 25,
    generatorLearningRate: 2e-4,
    generatorBeta1: 0.5,
    discriminatorLearningRate: 2e-4,
    discriminatorBeta1: 0.5,
  },
};

const tiny: ModelPreset = {
  name: 'tiny',
  title: 'Tiny (16×16 smoke test)',
  description: 'A few thousand parameters: trains in seconds on any backend. For tests and first runs.',
  imageSize: 16,
  channels: 1,
  latentDim: 16,
  generator: [
    { type: 'dense', units: 4 * 4 * 16, useBias: false },
    bn(0.9),
    lrelu(0.2),
    { type: 'reshape', targetShape: [4, 4, 16] },
    convT(8, 4, 2, { useBias: false }),
    bn(0.9),
    lrelu(0.2),
    convT(1, 4, 2, { activation: 'tanh' }),
  ],
  discriminator: [
    conv(8, 4, 2),
    lrelu(0.2),
    conv(16, 4, 2),
    lrelu(0.2),
    { type: 'dropout', rate: 0.3 },
    { type: 'flatten' },
    { type: 'dense', units: 1, useBias: true },
  ],
  training: {
    batchSize: 32,
    epochs: 5,
    generatorLearningRate: 1e-3,
    generatorBeta1: 0.5,
    discriminatorLearningRate: 1e-3,
    discriminatorBeta1: 0.5,
  },
};

const quick: ModelPreset = {
  name: 'quick',
  title: 'Quick (28×28, recognisable in minutes)',
  description:
    'A small DCGAN for 28×28 grayscale (the built-in Fashion-MNIST) with an EMA generator for cleaner samples: recognisable within minutes on a laptop CPU.',
  imageSize: 28,
  channels: 1,
  latentDim: 64,
  generator: [
    { type: 'dense', units: 7 * 7 * 64, useBias: false },
    bn(0.9),
    lrelu(0.2),
    { type: 'reshape', targetShape: [7, 7, 64] },
    convT(32, 4, 2, { useBias: false }),
    bn(0.9),
    lrelu(0.2),
    // A third stage (16 channels at 28×28, then a 3×3 conv to the image) lifts the plateau of
    // recognisable samples from ~24% to ~30% for 27% fewer images per second.
    convT(16, 4, 2, { useBias: false }),
    bn(0.9),
    lrelu(0.2),
    conv(1, 3, 1, { activation: 'tanh' }),
  ],
  discriminator: [conv(32, 4, 2), lrelu(0.2), conv(64, 4, 2), lrelu(0.2), { type: 'flatten' }, { type: 'dense', units: 1, useBias: true }],
  // Chosen with the scores (docs/training.md, "A first run in minutes"): 8 epochs of the
  // built-in 10,000 images take about 4 min 55 s on wasm on an idle 2-core machine, scoring included.
  training: {
    batchSize: 64,
    epochs: 8,
    generatorLearningRate: 5e-4,
    generatorBeta1: 0.5,
    discriminatorLearningRate: 5e-4,
    discriminatorBeta1: 0.5,
  },
  // The EMA generator smooths the step-to-step wobble of a short run: its samples are the ones
  // shown and scored. 0.99 averages over ~100 steps; 0.999 still holds a third of the random
  // initial weights after the ~1,100 steps of a 5-minute run.
  recipes: { emaDecay: 0.99 },
};

export const PRESETS: Record<PresetName, ModelPreset> = {
  'tf-tutorial': tfTutorial,
  'seed-model-one': seedModelOne,
  'seed-model-four': seedModelFour,
  'dcgan-64': dcgan64,
  tiny,
  quick,
};
