/** Spectral norm against a matrix whose singular values are known by construction. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { SpectralNorm } from './spectral-norm';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** An orthogonal n×n matrix: a product of Givens rotations with fixed angles. */
function orthogonal(n: number, seed: number): number[][] {
  const rng = new Rng(seed);
  let q: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let k = 0; k < 3 * n; k += 1) {
    const i = Math.floor(rng.next() * n);
    const j = (i + 1 + Math.floor(rng.next() * (n - 1))) % n;
    const angle = rng.next() * Math.PI * 2;
    const [c, s] = [Math.cos(angle), Math.sin(angle)];
    q = q.map((row) => {
      const out = [...row];
      out[i] = c * row[i]! - s * row[j]!;
      out[j] = s * row[i]! + c * row[j]!;
      return out;
    });
  }
  return q;
}

/** W = U · diag(singular) · Vᵀ with W of shape [m, n] (m ≥ n). */
function withSingularValues(m: number, n: number, singular: number[]): number[] {
  const u = orthogonal(m, 1);
  const v = orthogonal(n, 2);
  const w: number[] = [];
  for (let i = 0; i < m; i += 1) {
    for (let j = 0; j < n; j += 1) w.push(singular.reduce((sum, s, k) => sum + u[i]![k]! * s * v[j]![k]!, 0));
  }
  return w;
}

describe('spectral norm', () => {
  // A dense layer with a 6×4 kernel whose largest singular value is 3 (then 2.5, 1, 0.5).
  const kernel = withSingularValues(6, 4, [3, 2.5, 1, 0.5]);
  const model = () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 4, useBias: false })] });
    m.layers[0]!.setWeights([tf.tensor2d(kernel, [6, 4])]);
    return m;
  };

  it('power iteration finds σ within 1% of the SVD’s, and D sees W / σ', async () => {
    const m = model();
    const sn = new SpectralNorm(m, new Rng(5));
    for (let i = 0; i < 30; i += 1) sn.powerIteration();
    const [sigma] = await sn.sigmas();
    expect(Math.abs(sigma! - 3) / 3).toBeLessThan(0.01);
    const x = tf.tensor2d([[1, 0, 0, 0, 0, 0]]);
    const normalised = sn.within(() => (m.apply(x) as tf.Tensor).dataSync());
    // x picks W's first row: the output is that row divided by σ.
    normalised.forEach((value, j) => expect(value).toBeCloseTo(kernel[j]! / sigma!, 5));
    // Outside within(), the layer reads its raw kernel again.
    expect((m.apply(x) as tf.Tensor).dataSync()[0]).toBeCloseTo(kernel[0]!, 5);
    sn.dispose();
  });

  it('σ carries its gradient: d/dW of σ(W) at the top singular pair is u vᵀ, so ∇ of a normalised output is not ∇ of the raw one', () => {
    const m = model();
    const sn = new SpectralNorm(m, new Rng(5));
    for (let i = 0; i < 30; i += 1) sn.powerIteration();
    const variable = m.trainableWeights[0]!.read() as tf.Variable;
    const x = tf.tensor2d([[1, 2, 3, 4, 5, 6]]);
    const { grads } = sn.within(() => tf.variableGrads(() => (m.apply(x) as tf.Tensor).sum() as tf.Scalar, [variable]));
    const raw = tf.variableGrads(() => (m.apply(x) as tf.Tensor).sum() as tf.Scalar, [variable]).grads;
    expect(tf.sub(grads[variable.name]!, raw[variable.name]!.div(3)).abs().max().dataSync()[0]).toBeGreaterThan(1e-3);
    sn.dispose();
  });

  it('carries u across steps and restores it from saved state', async () => {
    const a = new SpectralNorm(model(), new Rng(5));
    for (let i = 0; i < 30; i += 1) a.powerIteration();
    const saved = a.state().map(({ name, tensor }) => ({ name, tensor: tensor.clone() }));
    const b = new SpectralNorm(model(), new Rng(99));
    b.restore(saved);
    b.powerIteration();
    a.powerIteration();
    expect(await b.sigmas()).toEqual(await a.sigmas());
    expect(() => b.restore([])).toThrow(/expected a saved u vector .* found none/);
    a.dispose();
    b.dispose();
  });

  it('leaves no tensor behind: construct, iterate, restore and dispose', () => {
    const m = model();
    const saved = [{ name: 'spectral-norm/u/0', tensor: tf.tensor2d([1, 0, 0, 0], [1, 4]) }];
    const before = tf.memory().numTensors;
    const sn = new SpectralNorm(m, new Rng(5));
    sn.powerIteration();
    sn.restore(saved);
    sn.powerIteration();
    sn.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(saved[0]!.tensor);
    m.dispose();
  });
});
