/**
 * `npm run bench:winograd`: CPU ms of the direct conv kernels against
 * Winograd (simd/winograd.ts) on the generator's heaviest stride-1 shapes,
 * forward and filter gradient. Run it with GAN_STUDIO_WASM_THREADS=1: CPU
 * time then is what the shape costs on one idle core, whatever else the
 * machine runs. Direct and Winograd alternate; each row is the best of N.
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { selectBackend } from '../main/backend/index';
import type { WasmBackendLike } from '../main/backend/wasm/kernel-ops';
import { studioKernels } from '../main/backend/wasm/simd/conv-kernels';
import type { Correlation } from '../main/backend/wasm/simd/correlation';
import { correlate, correlateFilterGradient, winogradPays } from '../main/backend/wasm/simd/winograd';
import { tilePlan } from '../main/backend/wasm/simd/winograd-plan';
import { seededValues } from '../main/backend/wasm/test-support';

interface Shape {
  name: string;
  batch: number;
  size: number;
  taps: [number, number];
  inChannels: number;
  outChannels: number;
}

const SHAPES: Shape[] = [
  { name: 'tf-tutorial 5×5 256→128 on 7×7', batch: 64, size: 7, taps: [5, 5], inChannels: 256, outChannels: 128 },
  { name: 'tf-tutorial dx 5×5 128→256 on 7×7', batch: 64, size: 7, taps: [5, 5], inChannels: 128, outChannels: 256 },
  { name: 'seed-model-one 5×5 256→128 on 8×8', batch: 64, size: 8, taps: [5, 5], inChannels: 256, outChannels: 128 },
  { name: '3×3 phase 128→64 on 7×7', batch: 64, size: 7, taps: [3, 3], inChannels: 128, outChannels: 64 },
  { name: '3×2 phase 128→64 on 7×7', batch: 64, size: 7, taps: [3, 2], inChannels: 128, outChannels: 64 },
  { name: '2×2 phase 128→64 on 7×7', batch: 64, size: 7, taps: [2, 2], inChannels: 128, outChannels: 64 },
  { name: '3×3 phase 64→128 on 7×7', batch: 64, size: 7, taps: [3, 3], inChannels: 64, outChannels: 128 },
  { name: '3×3 phase 64→32 on 14×14', batch: 64, size: 14, taps: [3, 3], inChannels: 64, outChannels: 32 },
  { name: '3×3 phase 16→64 on 14×14', batch: 64, size: 14, taps: [3, 3], inChannels: 16, outChannels: 64 },
];

/** CPU ms of `run` (user + system, this process's threads). */
function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const addressOf = (backend: WasmBackendLike, t: tf.Tensor): number => backend.getMemoryOffset(t.dataId);

function correlationOf(backend: WasmBackendLike, s: Shape, x: tf.Tensor, w: tf.Tensor, out: tf.Tensor): Correlation {
  const { size, inChannels: cin, outChannels: cout } = s;
  const [R, S] = s.taps;
  return {
    batch: s.batch,
    outHeight: size,
    outWidth: size,
    inChannels: cin,
    outChannels: cout,
    filterHeight: R,
    filterWidth: S,
    // 'same' padding as tf.conv2d puts it: the smaller half before.
    offsetY: -Math.floor((R - 1) / 2),
    offsetX: -Math.floor((S - 1) / 2),
    input: { base: addressOf(backend, x), strides: [size * size * cin, size * cin, cin, 1], height: size, width: size },
    filter: { base: addressOf(backend, w), strides: [S * cin * cout, cin * cout, cout, 1] },
    output: { base: addressOf(backend, out), strides: [size * size * cout, size * cout, cout, 1] },
    accumulate: false,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { repeats: { type: 'string', default: '5' } } });
  const repeats = Number(values.repeats);
  await selectBackend({ forced: 'wasm' });
  const backend = tf.backend() as unknown as WasmBackendLike;
  const kernels = studioKernels(backend);
  if (kernels === undefined) throw new Error('expected the studio SIMD kernels on wasm, got none (GAN_STUDIO_WASM_SIMD=off?)');
  console.log(`threads: ${kernels.pool?.threads ?? 1}, ${kernels.kind}; best of ${repeats}, CPU ms`);
  console.log(['shape', 'plan', 'pays', 'fwd direct', 'fwd wino', 'speedup', 'dW direct', 'dW wino', 'speedup'].join('\t'));
  for (const s of SHAPES) {
    const { batch, size, inChannels: cin, outChannels: cout } = s;
    const [R, S] = s.taps;
    const x = tf.tensor4d(seededValues(batch * size * size * cin, 1), [batch, size, size, cin]);
    const w = tf.tensor4d(seededValues(R * S * cin * cout, 2), [R, S, cin, cout]);
    const dy = tf.tensor4d(seededValues(batch * size * size * cout, 3), [batch, size, size, cout]);
    const out = tf.zeros([batch, size, size, cout]);
    const dw = tf.zeros([R, S, cin, cout]);
    const forward = correlationOf(backend, s, x, w, out);
    const gradient = { ...correlationOf(backend, s, x, dw, dy) };
    const best = { fwdDirect: Infinity, fwdWino: Infinity, dwDirect: Infinity, dwWino: Infinity };
    for (let r = 0; r <= repeats; r++) {
      // r = 0 warms up (tables, heap growth) and is not counted.
      const keep = (key: keyof typeof best, ms: number) => (best[key] = r === 0 ? best[key] : Math.min(best[key], ms));
      keep('fwdDirect', cpuMs(() => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same').dispose()));
      keep('fwdWino', cpuMs(() => correlate(backend, kernels, forward)));
      keep(
        'dwDirect',
        cpuMs(() => (tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [R, S, cin, cout] }) as tf.Tensor).dispose()),
      );
      keep('dwWino', cpuMs(() => correlateFilterGradient(backend, kernels, gradient)));
    }
    const plan = tilePlan(forward);
    console.log(
      [
        s.name,
        `F(${plan.y.m},${plan.y.r})×F(${plan.x.m},${plan.x.r})`,
        String(winogradPays(forward)),
        best.fwdDirect.toFixed(1),
        best.fwdWino.toFixed(1),
        `${(best.fwdDirect / best.fwdWino).toFixed(2)}×`,
        best.dwDirect.toFixed(1),
        best.dwWino.toFixed(1),
        `${(best.dwDirect / best.dwWino).toFixed(2)}×`,
      ].join('\t'),
    );
    tf.dispose([x, w, dy, out, dw]);
  }
}

await main();
