/**
 * Adam's state through a save and a restore, past the step where its β1-power
 * leaves float32's range (0 for β1 = 0 and 0.5, a subnormal or 0 for 0.9): the
 * restored optimizer continues bit for bit as the one never saved, on every
 * backend the tests run. Damaged powers are still refused; checkpoints from
 * before the powers were saved still load.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackendName } from '../../shared/backends';
import { selectBackend } from '../backend/select';
import { checkWebgpuForTests, LLVMPIPE_TIMEOUT_MS } from '../backend/webgpu/test-availability';
import { loadOptimizerState, saveOptimizerState } from './optimizer-io';

const webgpu = await checkWebgpuForTests();
const BACKENDS: BackendName[] = ['cpu', 'wasm', ...(webgpu.run ? (['webgpu'] as const) : [])];

const SIZE = 8;
const SAVED_AT = 1_050;
const END = 1_100;
/** Below this a float32 is subnormal (or 0): the β-power has left the normal range. */
const SMALLEST_NORMAL = 2 ** -126;

/** Adam steps `from + 1 … to` on w toward a target that moves with the step, so every step's gradient differs. */
function train(optimizer: tf.Optimizer, w: tf.Variable, from: number, to: number): void {
  for (let step = from + 1; step <= to; step += 1) {
    const target = Array.from({ length: SIZE }, (_, i) => Math.sin(step * 0.37 + i));
    optimizer.minimize(() => tf.sum(tf.square(tf.sub(w, tf.tensor1d(target)))), false, [w]);
  }
}

async function savedPowers(dir: string): Promise<{ accBeta1: number; accBeta2: number }> {
  return (JSON.parse(await readFile(join(dir, 'adam.json'), 'utf8')) as { betaPowers: { accBeta1: number; accBeta2: number } }).betaPowers;
}

describe.each(BACKENDS)('Adam saved and restored past step 1,000 on %s', (backend) => {
  it.each([0, 0.5, 0.9])(
    'β1 = %s: the restored optimizer continues bit for bit, with a flat tensor count',
    async (beta1) => {
      await selectBackend({ forced: backend });
      const dir = await mkdtemp(join(tmpdir(), 'optimizer-io-'));
      const w = tf.tidy(() => tf.variable(tf.zeros([SIZE])));
      const optimizer = tf.train.adam(0.01, beta1);
      train(optimizer, w, 0, SAVED_AT);
      await saveOptimizerState(optimizer, dir, 'adam');
      const powers = await savedPowers(dir);
      // The case that was refused: the β1-power has left float32's normal range (β1 = 0 from the first step).
      expect(powers.accBeta1).toBeLessThan(SMALLEST_NORMAL);
      if (beta1 < 0.9) expect(powers.accBeta1).toBe(0);

      const values = await w.data();
      const restoredW = tf.tidy(() => tf.variable(tf.tensor1d(values)));
      const restored = tf.train.adam(0.01, beta1);
      await loadOptimizerState(restored, dir, 'adam', [[SIZE]]);
      const tensors = tf.memory().numTensors;
      train(optimizer, w, SAVED_AT, END);
      train(restored, restoredW, SAVED_AT, END);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(Array.from(await restoredW.data())).toEqual(Array.from(await w.data()));
      tf.dispose([w, restoredW]);
      optimizer.dispose();
      restored.dispose();
    },
    backend === 'webgpu' ? LLVMPIPE_TIMEOUT_MS : undefined,
  );
});

describe('β-powers on disk', () => {
  async function savedState(): Promise<string> {
    await selectBackend({ forced: 'cpu' });
    const dir = await mkdtemp(join(tmpdir(), 'optimizer-io-'));
    const w = tf.tidy(() => tf.variable(tf.zeros([SIZE])));
    const optimizer = tf.train.adam(0.01, 0.5);
    train(optimizer, w, 0, 3);
    await saveOptimizerState(optimizer, dir, 'adam');
    w.dispose();
    optimizer.dispose();
    return dir;
  }

  async function withPowers(dir: string, betaPowers: unknown): Promise<void> {
    const file = join(dir, 'adam.json');
    const { betaPowers: _saved, ...rest } = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify(betaPowers === undefined ? rest : { ...rest, betaPowers }));
  }

  it.each([
    ['1 (β-powers stay below 1)', { accBeta1: 1, accBeta2: 0.5 }],
    ['a negative power', { accBeta1: -0.125, accBeta2: 0.5 }],
    ['a string', { accBeta1: '0', accBeta2: 0.5 }],
    ['a missing accBeta2', { accBeta1: 0 }],
  ])('refuses %s as damage, naming the file', async (_name, powers) => {
    const dir = await savedState();
    await withPowers(dir, powers);
    const optimizer = tf.train.adam(0.01, 0.5);
    await expect(loadOptimizerState(optimizer, dir, 'adam', [[SIZE]])).rejects.toThrow(/adam\.json: expected Adam's β-powers .* This optimizer state is damaged\./);
    optimizer.dispose();
  });

  it('loads a checkpoint written before the powers were saved, with pow(β, t + 1)', async () => {
    const dir = await savedState();
    await withPowers(dir, undefined);
    const optimizer = tf.train.adam(0.01, 0.5);
    await loadOptimizerState(optimizer, dir, 'adam', [[SIZE]]);
    const { accBeta1 } = optimizer as unknown as { accBeta1: tf.Variable };
    expect((await accBeta1.data())[0]).toBe(0.5 ** 4);
    optimizer.dispose();
  });
});
