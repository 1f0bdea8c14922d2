import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runOn, seededValues } from '../test-support';
import { ADAM_UPDATE } from './fused-adam';

// Adam's signature says NamedVariableMap, but it only reads the gradient tensors.
type GradientMap = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** Shapes with a scalar tail (105 = 26·4 + 1), exact vectors, and one element. */
const SHAPES = [[3, 5, 7], [16], [1]];

/**
 * Trains three variables toward fixed targets with Adam (β1 0.5, as `quick`:
 * its running product underflows to 0 after ~150 steps) for `steps` steps on
 * the current backend; returns the weights and both moments.
 */
function train(steps: number): tf.Tensor[] {
  const weights = SHAPES.map((shape, i) => tf.variable(tf.tensor(seededValues(tf.util.sizeFromShape(shape), 10 + i), shape)));
  const targets = SHAPES.map((shape, i) => tf.tensor(seededValues(tf.util.sizeFromShape(shape), 20 + i), shape));
  const optimizer = tf.train.adam(0.01, 0.5);
  for (let s = 0; s < steps; s++) {
    tf.tidy(() => {
      // An elementwise loss: its gradient 2·(w − target)·scale is the same float32 on every backend.
      const { grads } = tf.variableGrads(() => tf.addN(weights.map((w, i) => w.sub(targets[i]!).square().mul(1 + i).sum())) as tf.Scalar);
      optimizer.applyGradients(grads as GradientMap);
    });
  }
  const state = optimizer as unknown as { accumulatedFirstMoment: { variable: tf.Variable }[]; accumulatedSecondMoment: { variable: tf.Variable }[] };
  const out = [...weights, ...state.accumulatedFirstMoment.map((m) => m.variable), ...state.accumulatedSecondMoment.map((v) => v.variable)].map((t) => t.clone());
  optimizer.dispose();
  tf.dispose([...weights, ...targets]);
  return out;
}

describe('Adam on wasm (one fused kernel per variable)', () => {
  afterAll(() => vi.restoreAllMocks());

  it.each([1, 1000])('gives tfjs’s Adam values bit for bit after %i steps (weights and both moments)', async (steps) => {
    const expected = await runOn('cpu', () => train(steps));
    const run = vi.spyOn(tf.engine(), 'runKernel');
    const actual = await runOn('wasm', () => train(steps));
    const kernels = run.mock.calls.map(([name]) => name);
    run.mockRestore();
    expect(kernels.filter((name) => name === ADAM_UPDATE)).toHaveLength(steps * SHAPES.length);
    // No per-variable arithmetic left: only the β-power updates (Sub, Multiply: 2 each per step) besides the loss.
    expect(kernels.filter((name) => name === tf.Sqrt)).toHaveLength(0);
    actual.forEach((values, i) => expect([...values], `tensor ${i}`).toEqual([...expected[i]!]));
    // The weights moved toward the targets: an update that did nothing would pass the equality above on no step.
    const moved = Math.max(...actual[0]!.map((w, i) => Math.abs(w - seededValues(105, 10)[i]!)));
    expect(moved).toBeGreaterThan(steps === 1 ? 0.009 : 0.5);
  });

  it('keeps the tensor count flat from step to step', async () => {
    await runOn('wasm', () => {
      const w = tf.variable(tf.ones([40]));
      const optimizer = tf.train.adam(0.1);
      const step = () => tf.tidy(() => optimizer.applyGradients(tf.variableGrads(() => w.square().sum() as tf.Scalar).grads as GradientMap));
      step();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 20; i++) step();
      expect(tf.memory().numTensors).toBe(before);
      optimizer.dispose();
      w.dispose();
      return [];
    });
  });
});
