/**
 * Every preset's generator and discriminator, forward and backward, on the
 * webgpu backend (llvmpipe in CI): finite outputs, one gradient per trainable
 * weight with the weight's shape, and the same numbers as wasm — the
 * studio's CPU backend, on its direct conv kernels — from identical weights,
 * noise and dropout masks.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import type { PresetName } from '../../shared/presets';
import { PRESET_NAMES } from '../../shared/presets';
import { buildDiscriminator, buildGenerator, imageShapeOf } from './models';
import { Rng, withMathRandom } from '../common/rng';
import { selectBackend } from '../backend/select';
import { checkWebgpuForTests, LLVMPIPE_TIMEOUT_MS } from '../backend/webgpu/test-availability';

const availability = await checkWebgpuForTests();
const BATCH = 2;

/** What one forward + backward pass gives, read back to plain arrays. */
interface Pass {
  images: { shape: number[]; values: Float32Array };
  logits: { shape: number[]; values: Float32Array };
  /** Per trainable weight of G then D: the weight's shape, its gradient's shape and values. */
  grads: { network: 'generator' | 'discriminator'; name: string; weightShape: number[]; shape: number[]; values: Float32Array }[];
}

/**
 * Builds the preset on `backend` from the seeded initialisers and runs
 * mean(D(G(z))) forward and backward to every weight of both networks, in
 * training mode (BatchNorm on batch statistics, dropout on).
 */
async function forwardBackward(preset: PresetName, backend: 'webgpu' | 'wasm'): Promise<Pass> {
  await selectBackend({ forced: backend });
  const config = resolveTrainingConfig({ preset, seed: 3 });
  const { generator, discriminator } = withMathRandom(Rng.stream(config.seed, 'init'), () => ({
    generator: buildGenerator(config),
    discriminator: buildDiscriminator(config),
  }));
  const noise = tf.tensor2d(new Rng(7).normals(BATCH * config.latentDim), [BATCH, config.latentDim]);
  const weights = [...generator.trainableWeights, ...discriminator.trainableWeights];
  const variables = weights.map((weight) => weight.read() as tf.Variable);
  let images: tf.Tensor | undefined;
  let logits: tf.Tensor | undefined;
  // Dropout masks come from Math.random: the same stream on both backends.
  const { grads } = withMathRandom(Rng.stream(config.seed, 'tfOps', 1), () =>
    tf.variableGrads(() => {
      images = tf.keep(generator.apply(noise, { training: true }) as tf.Tensor);
      logits = tf.keep(discriminator.apply(images, { training: true }) as tf.Tensor);
      return tf.mean(logits) as tf.Scalar;
    }, variables),
  );
  try {
    const read = async (t: tf.Tensor) => ({ shape: t.shape, values: (await t.data()) as Float32Array });
    return {
      images: await read(images!),
      logits: await read(logits!),
      grads: await Promise.all(
        weights.map(async (weight, i) => ({
          network: i < generator.trainableWeights.length ? ('generator' as const) : ('discriminator' as const),
          name: weight.name,
          weightShape: weight.shape as number[],
          ...(await read(grads[variables[i]!.name]!)),
        })),
      ),
    };
  } finally {
    tf.dispose([noise, images!, logits!, ...Object.values(grads)]);
    generator.dispose();
    discriminator.dispose();
  }
}

/**
 * How far `actual` is from `expected`, in units of the allowed difference
 * (≤ 1 passes): 1e-3 of the tensor's largest value, plus 1e-6 absolute for
 * gradients that are zero in exact arithmetic (a bias under BatchNorm) and
 * are float32 noise (~1e-8) on every backend.
 */
function mismatch(actual: Float32Array, expected: Float32Array): number {
  const scale = expected.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
  const allowed = 1e-3 * scale + 1e-6;
  return actual.reduce((worst, v, i) => Math.max(worst, Math.abs(v - expected[i]!) / allowed), 0);
}

const allFinite = (values: Float32Array) => values.every(Number.isFinite);

describe.skipIf(!availability.run)('every preset forward and backward on webgpu', () => {
  it.each(PRESET_NAMES)('%s: finite, one gradient per weight with its shape, equal to wasm', async (preset) => {
    const gpu = await forwardBackward(preset, 'webgpu');
    const { size, channels } = imageShapeOf(resolveTrainingConfig({ preset }));
    expect(gpu.images.shape).toEqual([BATCH, size, size, channels]);
    expect(gpu.logits.shape).toEqual([BATCH, 1]);
    expect(allFinite(gpu.images.values) && allFinite(gpu.logits.values)).toBe(true);
    // tanh output: in [-1, 1].
    expect(gpu.images.values.every((v) => v >= -1 && v <= 1)).toBe(true);
    for (const grad of gpu.grads) {
      expect(grad.shape, grad.name).toEqual(grad.weightShape);
      expect(allFinite(grad.values), grad.name).toBe(true);
    }
    // Both networks received a signal (a conv bias under BatchNorm may rightly get none).
    expect(gpu.grads.some((g) => g.network === 'generator' && g.values.some((v) => v !== 0))).toBe(true);
    expect(gpu.grads.some((g) => g.network === 'discriminator' && g.values.some((v) => v !== 0))).toBe(true);

    // wasm's direct kernels: the same float32 sums as webgpu's. Its Winograd path rounds differently (each conv pass
    // within 2e-5 of direct, pinned against cpu in conv2d-kernels.test), and dcgan-64's nine layers of batch-2
    // BatchNorm and LeakyReLU amplify that to gradients up to 0.2 of their largest value apart.
    process.env['GAN_STUDIO_WASM_CONV'] = 'direct';
    const cpu = await forwardBackward(preset, 'wasm').finally(() => delete process.env['GAN_STUDIO_WASM_CONV']);
    expect(mismatch(gpu.images.values, cpu.images.values)).toBeLessThanOrEqual(1);
    expect(mismatch(gpu.logits.values, cpu.logits.values)).toBeLessThanOrEqual(1);
    gpu.grads.forEach((grad, i) => expect(mismatch(grad.values, cpu.grads[i]!.values), grad.name).toBeLessThanOrEqual(1));
  }, LLVMPIPE_TIMEOUT_MS);
});
