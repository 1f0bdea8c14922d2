/** The adversarial losses on logits chosen by hand, against the formulas worked out in plain JS. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOSS_NAMES, LOSS_SPECS } from '../../../shared/recipes';
import { LOSSES } from './losses';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const real = [2, 0.5, -1];
const fake = [-3, -0.5, 1.5];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const softplus = (x: number) => Math.log1p(Math.exp(x));
/** Binary cross-entropy of logit x against label y. */
const bce = (x: number, y: number) => y * softplus(-x) + (1 - y) * softplus(x);
const value = (f: (r: tf.Tensor, g: tf.Tensor) => tf.Scalar) =>
  tf.tidy(() => f(tf.tensor2d(real, [3, 1]), tf.tensor2d(fake, [3, 1])).dataSync()[0]!);

describe('losses', () => {
  it('bce: D on real → 1 and fake → 0, G on fake → 1 (the tutorial)', () => {
    expect(value((r, g) => LOSSES.bce.discriminator(r, g, 1))).toBeCloseTo(mean(real.map((x) => bce(x, 1))) + mean(fake.map((x) => bce(x, 0))), 5);
    expect(value((_r, g) => LOSSES.bce.generator(g))).toBeCloseTo(mean(fake.map((x) => bce(x, 1))), 5);
    // By hand for one logit: bce(2, 1) = log(1 + e^-2) = 0.126928.
    expect(bce(2, 1)).toBeCloseTo(0.126928, 5);
  });

  it('bce with one-sided label smoothing: real target 0.9, fake target still 0', () => {
    const smoothed = value((r, g) => LOSSES.bce.discriminator(r, g, 0.9));
    expect(smoothed).toBeCloseTo(mean(real.map((x) => bce(x, 0.9))) + mean(fake.map((x) => bce(x, 0))), 5);
    expect(smoothed).not.toBeCloseTo(value((r, g) => LOSSES.bce.discriminator(r, g, 1)), 3);
  });

  it('hinge: mean(relu(1 − real)) + mean(relu(1 + fake)); G = −mean(fake)', () => {
    // relu(1-2)=0, relu(1-0.5)=0.5, relu(1+1)=2 → 2.5/3; relu(1-3)=0, relu(0.5)=0.5, relu(2.5)=2.5 → 3/3.
    expect(value((r, g) => LOSSES.hinge.discriminator(r, g, 1))).toBeCloseTo(2.5 / 3 + 1, 5);
    expect(value((_r, g) => LOSSES.hinge.generator(g))).toBeCloseTo(-(-3 - 0.5 + 1.5) / 3, 5);
  });

  it('least-squares: ½mean((real − b)²) + ½mean(fake²); G = ½mean((fake − 1)²)', () => {
    // (2-1)²=1, (0.5-1)²=0.25, (-1-1)²=4 → 5.25/3; fake² = 9 + 0.25 + 2.25 = 11.5/3.
    expect(value((r, g) => LOSSES['least-squares'].discriminator(r, g, 1))).toBeCloseTo(0.5 * (5.25 / 3 + 11.5 / 3), 5);
    // Smoothed real target 0.8: (1.2)² + (0.3)² + (1.8)² = 1.44 + 0.09 + 3.24 = 4.77.
    expect(value((r, g) => LOSSES['least-squares'].discriminator(r, g, 0.8))).toBeCloseTo(0.5 * (4.77 / 3 + 11.5 / 3), 5);
    // (−4)² + (−1.5)² + 0.5² = 16 + 2.25 + 0.25 = 18.5.
    expect(value((_r, g) => LOSSES['least-squares'].generator(g))).toBeCloseTo(0.5 * (18.5 / 3), 5);
    expect(LOSSES['least-squares'].threshold).toBe(0.5);
  });

  it('a loss has targets (which label smoothing moves) exactly when its shared spec says so', () => {
    // config.ts refuses label smoothing for a loss without targets from LOSS_SPECS; here the maths agrees.
    for (const name of LOSS_NAMES) {
      const moved = value((r, g) => LOSSES[name].discriminator(r, g, 0.9)) !== value((r, g) => LOSSES[name].discriminator(r, g, 1));
      expect(moved, name).toBe(LOSS_SPECS[name].targets);
    }
  });
});
