/** Spectral norm against a matrix whose singular values are known by construction, then in the real step. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../../shared/config';
import { buildDiscriminator } from '../models';
import { Rng, withMathRandom } from '../../common/rng';
import { Probe, probeGan } from './probe-gan';
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

/** The largest singular value of a [fan-in, units] matrix: √(top eigenvalue of WᵀW), by power iteration in float64. */
function topSingularValue(w: ArrayLike<number>, units: number): number {
  const fanIn = w.length / units;
  const gram = Array.from({ length: units }, (_, a) =>
    Array.from({ length: units }, (_, b) => {
      let sum = 0;
      for (let i = 0; i < fanIn; i += 1) sum += w[i * units + a]! * w[i * units + b]!;
      return sum;
    }),
  );
  let v = Array.from({ length: units }, (_, a) => 1 / (a + 1));
  let lambda = 0;
  for (let k = 0; k < 2000; k += 1) {
    const next = gram.map((row) => row.reduce((sum, g, b) => sum + g * v[b]!, 0));
    lambda = Math.hypot(...next);
    v = next.map((x) => x / lambda);
  }
  return Math.sqrt(lambda);
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

  it('normalises every conv and dense kernel of a real discriminator (tiny preset): σ(W/σ̂) ≈ 1 for each', () => {
    const d = withMathRandom(new Rng(3), () => buildDiscriminator(resolveTrainingConfig({ preset: 'tiny' })));
    const kernels = d.layers.filter((layer) => ['Conv2D', 'Dense'].includes(layer.getClassName()));
    expect(kernels.length).toBeGreaterThanOrEqual(3);
    // Initial kernels have σ 0.6–1.5; doubled, none is near 1 before it is normalised.
    for (const layer of kernels) tf.tidy(() => layer.setWeights(layer.getWeights().map((w, i) => (i === 0 ? w.mul(2) : w))));
    const sn = new SpectralNorm(d, new Rng(5));
    for (let i = 0; i < 100; i += 1) sn.powerIteration();
    const read = () => kernels.map((layer) => (layer as unknown as { kernel: { read(): tf.Tensor } }).kernel.read().dataSync());
    const [raw, normalised] = [read(), sn.within(read)];
    kernels.forEach((layer, k) => {
      const units = layer.getWeights()[0]!.shape.at(-1)!;
      expect(topSingularValue(raw[k]!, units)).toBeGreaterThan(1.1);
      expect(topSingularValue(normalised[k]!, units)).toBeCloseTo(1, 2);
    });
    sn.dispose();
    d.dispose();
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

/**
 * In the step: D = probe → flatten → dense 64→4 (no bias) → probe → dense 1,
 * the 4-unit kernel W built with singular values 3, 2, 1, 0.5. The second
 * probe shows what that layer computed in each of the step's three D calls,
 * x·W/σ̂; σ(W) is worked out in plain JS from W as it was before the step
 * (D trains, so W moves). One power iteration per step from a random u: the
 * first step's σ̂ is still a few % off, and after a dozen steps W/σ̂ has σ 1.
 */
describe('spectral norm in the step', () => {
  const [fanIn, units] = [64, 4];

  /** W with orthonormal columns (Gram–Schmidt of normal draws) scaled by 3, 2, 1, 0.5: those are its singular values. */
  function kernelWithKnownSigma(): Float32Array {
    const rng = new Rng(8);
    const columns: number[][] = [];
    for (let c = 0; c < units; c += 1) {
      let v = Array.from(rng.normals(fanIn));
      for (const q of columns) {
        const dot = v.reduce((sum, x, i) => sum + x * q[i]!, 0);
        v = v.map((x, i) => x - dot * q[i]!);
      }
      const norm = Math.hypot(...v);
      columns.push(v.map((x) => x / norm));
    }
    const sigmas = [3, 2, 1, 0.5];
    return Float32Array.from({ length: fanIn * units }, (_, k) => columns[k % units]![Math.floor(k / units)]! * sigmas[k % units]!);
  }

  it('D computes x·W/σ̂ in both phases, σ̂ → σ(W) by the step’s own power iterations: W/σ̂ ends with σ 1', async () => {
    const hidden = new Probe({});
    const gan = probeGan({
      recipes: { spectralNorm: true },
      shape: [4, 8, 8, 1],
      discriminatorLayers: [tf.layers.flatten(), tf.layers.dense({ units, useBias: false }), hidden, tf.layers.dense({ units: 1 })],
    });
    const dense = gan.discriminator.layers[2]!;
    tf.tidy(() => dense.setWeights([tf.tensor2d(kernelWithKnownSigma(), [fanIn, units])]));
    expect(topSingularValue(dense.getWeights()[0]!.dataSync(), units)).toBeCloseTo(3, 5);
    /** σ(W) / σ̂ in each D call of one step (1 when the layer's kernel is W/σ(W)). */
    const normalisedSigmas = async (step: number) => {
      const w = dense.getWeights()[0]!.dataSync();
      const sigma = topSingularValue(w, units);
      hidden.seen.length = 0;
      await gan.step(step);
      const inputs = Object.values(gan.phases());
      expect(hidden.seen).toHaveLength(3);
      return inputs.map((x, call) => {
        const h = hidden.seen[call]!;
        // xW per image and unit; D saw it divided by one number σ̂ (every unit, every image).
        const xw = Array.from(h, (_, k) => {
          const [image, unit] = [Math.floor(k / units), k % units];
          let sum = 0;
          for (let i = 0; i < fanIn; i += 1) sum += x[image * fanIn + i]! * w[i * units + unit]!;
          return sum;
        });
        const sigmaHat = xw.reduce((a, v) => a + v * v, 0) / xw.reduce((a, v, k) => a + v * h[k]!, 0);
        xw.forEach((v, k) => expect(h[k]).toBeCloseTo(v / sigmaHat, 5));
        return sigma / sigmaHat;
      });
    };
    // One iteration from a random u: σ̂ is far from σ (here σ/σ̂ ≈ 1.35).
    for (const value of await normalisedSigmas(1)) expect(Math.abs(value - 1)).toBeGreaterThan(0.01);
    for (let step = 2; step < 12; step += 1) await normalisedSigmas(step);
    for (const value of await normalisedSigmas(12)) expect(value).toBeCloseTo(1, 4);
    gan.dispose();
  });
});
