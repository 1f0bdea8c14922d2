/**
 * A seeded DCGAN step (BatchNorm in training mode, LeakyReLU, dropout,
 * strided conv / transposed conv, Adam, sigmoid cross-entropy) on wasm must
 * give the cpu backend's losses and gradients, and leak nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { maxRelativeError, seededValues, useWasm } from './test-support';

// XNNPACK only logs rejected geometries; the wasm module binds console.warn when it initialises.
const warnings = vi.spyOn(console, 'warn');
const xnnErrors = () => warnings.mock.calls.flat().filter((m) => String(m).includes('XNN status'));

const BATCH = 4;
const LATENT = 8;

function buildGan(): { generator: tf.Sequential; discriminator: tf.Sequential } {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const generator = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [LATENT], units: 4 * 4 * 8, useBias: false, kernelInitializer: init(1) }),
      tf.layers.batchNormalization(),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.reshape({ targetShape: [4, 4, 8] }),
      tf.layers.conv2dTranspose({ filters: 6, kernelSize: 5, strides: 2, padding: 'same', useBias: false, kernelInitializer: init(2) }),
      tf.layers.batchNormalization(),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh', kernelInitializer: init(3) }),
    ],
  });
  const discriminator = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [16, 16, 1], filters: 4, kernelSize: 5, strides: 2, padding: 'same', kernelInitializer: init(4) }),
      tf.layers.leakyReLU({ alpha: 0.3 }),
      tf.layers.dropout({ rate: 0.3, seed: 5 }),
      tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'valid', kernelInitializer: init(6) }),
      tf.layers.leakyReLU({ alpha: 0.3 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 1, kernelInitializer: init(7) }),
    ],
  });
  return { generator, discriminator };
}

const bce = (labels: 'ones' | 'zeros', logits: tf.Tensor): tf.Scalar =>
  tf.losses.sigmoidCrossEntropy(labels === 'ones' ? tf.onesLike(logits) : tf.zerosLike(logits), logits) as tf.Scalar;

const named = (grads: tf.NamedTensorMap): { name: string; tensor: tf.Tensor }[] =>
  Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));

interface StepResult {
  discLoss: number;
  genLoss: number;
  grads: Float32Array[];
}

/** Builds the seeded GAN on the current backend and runs `steps` tutorial-style steps. */
function makeTrainer() {
  const { generator, discriminator } = buildGan();
  const gOpt = tf.train.adam(1e-3, 0.5);
  const dOpt = tf.train.adam(1e-3, 0.5);
  const real = tf.tensor4d(seededValues(BATCH * 16 * 16, 11), [BATCH, 16, 16, 1]);
  const noise = tf.tensor2d(seededValues(BATCH * LATENT, 12), [BATCH, LATENT]);
  const gVars = generator.trainableWeights.map((w) => w.read() as tf.Variable);
  const dVars = discriminator.trainableWeights.map((w) => w.read() as tf.Variable);

  function step(keepGrads: boolean): StepResult {
    return tf.tidy(() => {
      const d = tf.variableGrads(() => {
        const fake = generator.apply(noise, { training: true }) as tf.Tensor;
        const realLogits = discriminator.apply(real, { training: true }) as tf.Tensor;
        const fakeLogits = discriminator.apply(fake, { training: true }) as tf.Tensor;
        return tf.add(bce('ones', realLogits), bce('zeros', fakeLogits)) as tf.Scalar;
      }, dVars);
      dOpt.applyGradients(named(d.grads));
      const g = tf.variableGrads(() => {
        const fakeLogits = discriminator.apply(generator.apply(noise, { training: true }) as tf.Tensor, { training: true });
        return bce('ones', fakeLogits as tf.Tensor);
      }, gVars);
      gOpt.applyGradients(named(g.grads));
      const grads = keepGrads ? [...Object.values(d.grads), ...Object.values(g.grads)].map((t) => t.dataSync() as Float32Array) : [];
      return { discLoss: d.value.dataSync()[0]!, genLoss: g.value.dataSync()[0]!, grads };
    });
  }

  function dispose(): void {
    tf.dispose([real, noise]);
    generator.dispose();
    discriminator.dispose();
    gOpt.dispose();
    dOpt.dispose();
  }
  return { step, dispose };
}

function twoSteps(): StepResult[] {
  const trainer = makeTrainer();
  const results = [trainer.step(true), trainer.step(true)];
  trainer.dispose();
  return results;
}

// direct: the direct conv kernels; phases: every conv that splits as stride-1 correlations (conv-phases.ts);
// space-to-depth: every strided conv as one stride-1 correlation (conv-space-to-depth.ts).
describe.each(['direct', 'phases', 'space-to-depth'])('a seeded DCGAN training step on wasm, GAN_STUDIO_WASM_CONV=%s', (conv) => {
  beforeEach(() => {
    process.env['GAN_STUDIO_WASM_CONV'] = conv;
  });
  afterEach(() => {
    delete process.env['GAN_STUDIO_WASM_CONV'];
  });

  it('matches the cpu backend in losses and gradients over two steps', async () => {
    await tf.setBackend('cpu');
    const reference = twoSteps();
    await useWasm();
    const actual = twoSteps();
    let worst = 0;
    for (let s = 0; s < 2; s++) {
      expect(actual[s]!.discLoss).toBeCloseTo(reference[s]!.discLoss, 4);
      expect(actual[s]!.genLoss).toBeCloseTo(reference[s]!.genLoss, 4);
      expect(actual[s]!.grads).toHaveLength(reference[s]!.grads.length);
      actual[s]!.grads.forEach((g, i) => (worst = Math.max(worst, maxRelativeError(g, reference[s]!.grads[i]!))));
    }
    console.log(`training step (${conv}): worst gradient relative error wasm vs cpu ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
    expect(xnnErrors()).toEqual([]);
  });

  it('keeps the tensor count and the wasm heap flat over many steps', async () => {
    await useWasm();
    const trainer = makeTrainer();
    trainer.step(false);
    trainer.step(false);
    const heap = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
    const before = { ...tf.memory(), heap: heap() };
    for (let i = 0; i < 20; i++) trainer.step(false);
    const after = { ...tf.memory(), heap: heap() };
    trainer.dispose();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(after.heap).toBe(before.heap);
    expect(xnnErrors()).toEqual([]);
  });
});
