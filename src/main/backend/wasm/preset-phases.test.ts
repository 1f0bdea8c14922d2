/**
 * tf-tutorial's and seed-model-one's seeded training steps on threaded wasm
 * (real child processes, 2 threads) with the Winograd paths on
 * (GAN_STUDIO_WASM_CONV unset: the stride-2 5×5 layers through space-to-depth,
 * the other convs whose phases all pay as stride-1 correlations) against the direct kernels
 * (GAN_STUDIO_WASM_CONV=direct): the same losses within float32 rounding,
 * which grows a little step by step, and a flat tensor count and heap once
 * warm.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const src = join(import.meta.dirname, '..', '..', '..');
const url = (path: string) => JSON.stringify(pathToFileURL(join(src, path)).href);

const STEPS = 9;
const BATCH = 2;

const script = (preset: string) => `
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from ${url('main/backend/select.ts')};
import { resolveTrainingConfig } from ${url('shared/config.ts')};
import { buildDiscriminator, buildGenerator, imageShapeOf } from ${url('main/training/models/index.ts')};
import { createGanStep } from ${url('main/training/gan-step.ts')};
import { Rng, withMathRandom } from ${url('main/common/rng.ts')};
const report = await selectBackend({ forced: 'wasm' });
const config = resolveTrainingConfig({ preset: '${preset}', seed: 5, batchSize: ${BATCH} });
const { generator, discriminator } = withMathRandom(Rng.stream(config.seed, 'init'), () => ({ generator: buildGenerator(config), discriminator: buildDiscriminator(config) }));
const gan = createGanStep({ generator, discriminator, config });
const { size, channels } = imageShapeOf(config);
const rng = new Rng(9);
const heap = () => tf.backend().wasm.HEAPU8.length;
const losses = [];
let before;
for (let step = 1; step <= ${STEPS}; step++) {
  // The first steps make Adam's moment variables and grow the heap to its peak (by step 2 direct, step 4 split: the
  // Winograd scratch of one call is up to 32 MB and the allocator settles after a few): count from the sixth.
  if (step === 6) before = { tensors: tf.memory().numTensors, heap: heap() };
  const real = tf.tensor4d(rng.normals(${BATCH} * size * size * channels).map(Math.tanh), [${BATCH}, size, size, channels]);
  const noise = tf.tensor2d(rng.normals(${BATCH} * config.latentDim), [${BATCH}, config.latentDim]);
  const { gen_loss, disc_loss } = await gan.step(real, noise, step);
  tf.dispose([real, noise]);
  losses.push([gen_loss, disc_loss]);
}
console.log(JSON.stringify({ device: report.device, losses, before, after: { tensors: tf.memory().numTensors, heap: heap() } }));
process.exit(0);
`;

interface Run {
  device: string;
  losses: [number, number][];
  before: { tensors: number; heap: number };
  after: { tensors: number; heap: number };
}

async function train(preset: string, conv: string): Promise<Run> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', tsx, '--input-type=module', '-e', script(preset)], {
    env: { ...process.env, GAN_STUDIO_WASM_THREADS: '2', GAN_STUDIO_WASM_CONV: conv },
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Run;
}

/** Direct and Winograd sums round differently (~1e-6 of a layer's scale): step 1's losses, before any update, show only that. */
const FIRST_LOSS_TOLERANCE = 1e-5;
/**
 * Adam then amplifies it: its first updates are ≈ lr·sign(g), so a gradient near zero whose rounding differs moves
 * a weight by up to 2·lr. Later losses drift apart by ~1e-4 after a few steps (batch 2). A wrong conv is caught at
 * step 1 here and, per pass, by conv-phases.test and conv2d-kernels.test.
 */
const LATER_LOSS_TOLERANCE = 2e-3;

describe.each(['tf-tutorial', 'seed-model-one'])('%s on 2 wasm threads: the Winograd paths (space-to-depth, the phase split) against the direct kernels', (preset) => {
  it(`gives the direct kernels' losses over ${STEPS} seeded steps and leaks nothing`, async () => {
    const [split, direct] = [await train(preset, ''), await train(preset, 'direct')];
    expect(split.device).toMatch(/2 threads\)$/);
    const rows = split.losses.map(([g, d], i) => {
      const [gDirect, dDirect] = direct.losses[i]!;
      return `step ${i + 1}: gen ${g.toFixed(6)} vs ${gDirect.toFixed(6)}, disc ${d.toFixed(6)} vs ${dDirect.toFixed(6)} (Δ ${Math.abs(g - gDirect).toExponential(1)}, ${Math.abs(d - dDirect).toExponential(1)})`;
    });
    console.log(`${preset}, Winograd paths vs direct:\n  ${rows.join('\n  ')}`);
    split.losses.forEach((pair, step) =>
      pair.forEach((loss, i) => expect(Math.abs(loss - direct.losses[step]![i]!)).toBeLessThan(step === 0 ? FIRST_LOSS_TOLERANCE : LATER_LOSS_TOLERANCE)),
    );
    // The Winograd paths ran (their sums round differently) and training moved: the comparison would pass on either not happening.
    expect(split.losses).not.toEqual(direct.losses);
    expect(split.losses[0]).not.toEqual(split.losses[STEPS - 1]);
    expect(split.after).toEqual(split.before);
  }, 600_000);
});
