/**
 * `npm run bench:space-to-depth`: wall ms of the presets' stride-2 5×5 layers
 * at batch 64 (the discriminators' 64→128 convs, the generators' 128→64
 * transposed convs) through space-to-depth (GAN_STUDIO_WASM_CONV unset)
 * against the direct kernels (GAN_STUDIO_WASM_CONV=direct): the forward pass
 * and tf.grads of both inputs. Wall time on the configured threads
 * (GAN_STUDIO_WASM_THREADS); the two paths alternate and each cell is the
 * best of N, so a shared machine's load touches both alike.
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { selectBackend } from '../main/backend/index';
import { seededValues } from '../main/backend/wasm/test-support';

interface Layer {
  name: string;
  /** The conv's input side: size × size × channels, to size/2 × size/2 × outChannels. */
  size: number;
  channels: number;
  outChannels: number;
  transposed: boolean;
}

const LAYERS: Layer[] = [
  { name: 'tf-tutorial D conv 14→7, 64→128', size: 14, channels: 64, outChannels: 128, transposed: false },
  { name: 'seed-model-one D conv 16→8, 64→128', size: 16, channels: 64, outChannels: 128, transposed: false },
  { name: 'tf-tutorial G transposed 7→14, 128→64', size: 14, channels: 64, outChannels: 128, transposed: true },
  { name: 'seed-model-one G transposed 8→16, 128→64', size: 16, channels: 64, outChannels: 128, transposed: true },
];

const BATCH = 64;

function wallMs(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

/** The layer's forward pass and its gradient with respect to its input and filter. */
function passesOf(layer: Layer): { forward: () => void; grads: () => void; dispose: () => void } {
  const { size, channels, outChannels } = layer;
  const half = Math.ceil(size / 2);
  const xShape: [number, number, number, number] = [BATCH, size, size, channels];
  const zShape: [number, number, number, number] = [BATCH, half, half, outChannels];
  const x = tf.tensor4d(seededValues(xShape.reduce((a, b) => a * b), 1), xShape);
  const z = tf.tensor4d(seededValues(zShape.reduce((a, b) => a * b), 2), zShape);
  const w = tf.tensor4d(seededValues(25 * channels * outChannels, 3), [5, 5, channels, outChannels]);
  const apply = (input: tf.Tensor, filter: tf.Tensor): tf.Tensor =>
    layer.transposed ? tf.conv2dTranspose(input as tf.Tensor4D, filter as tf.Tensor4D, xShape, 2, 'same') : tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, 2, 'same');
  const input = layer.transposed ? z : x;
  return {
    // Block bodies: a tidy that returns the data would walk its every element looking for tensors.
    forward: () => tf.tidy(() => {
      apply(input, w).dataSync();
    }),
    grads: () => tf.tidy(() => {
      tf.grads((a: tf.Tensor, b: tf.Tensor) => apply(a, b).square().sum())([input, w]).forEach((g) => g.dataSync());
    }),
    dispose: () => tf.dispose([x, z, w]),
  };
}

function withConv<T>(setting: string | undefined, run: () => T): T {
  if (setting === undefined) delete process.env['GAN_STUDIO_WASM_CONV'];
  else process.env['GAN_STUDIO_WASM_CONV'] = setting;
  return run();
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { repeats: { type: 'string', default: '5' } } });
  const repeats = Number(values.repeats);
  const report = await selectBackend({ forced: 'wasm' });
  console.log(`${report.device}; batch ${BATCH}; best of ${repeats}, wall ms`);
  console.log(['layer', 'fwd direct', 'fwd s2d', 'speedup', 'grads direct', 'grads s2d', 'speedup'].join('\t'));
  for (const layer of LAYERS) {
    const passes = passesOf(layer);
    const best = { fwdDirect: Infinity, fwdS2d: Infinity, gradsDirect: Infinity, gradsS2d: Infinity };
    for (let r = 0; r <= repeats; r++) {
      // r = 0 warms up (tables, heap growth) and is not counted.
      const keep = (key: keyof typeof best, ms: number) => (best[key] = r === 0 ? best[key] : Math.min(best[key], ms));
      keep('fwdDirect', withConv('direct', () => wallMs(passes.forward)));
      keep('fwdS2d', withConv(undefined, () => wallMs(passes.forward)));
      keep('gradsDirect', withConv('direct', () => wallMs(passes.grads)));
      keep('gradsS2d', withConv(undefined, () => wallMs(passes.grads)));
    }
    passes.dispose();
    const ratio = (direct: number, s2d: number) => `${(direct / s2d).toFixed(2)}×`;
    console.log(
      [layer.name, best.fwdDirect.toFixed(1), best.fwdS2d.toFixed(1), ratio(best.fwdDirect, best.fwdS2d), best.gradsDirect.toFixed(1), best.gradsS2d.toFixed(1), ratio(best.gradsDirect, best.gradsS2d)].join('\t'),
    );
  }
}

await main();
