/**
 * Seeded randomness for training. Every random stream is derived from
 * (run seed, purpose, counter) — e.g. the shuffle of epoch 7 or the noise of
 * step 1234 — so the whole schedule is a pure function of the seed and the
 * counters. A checkpoint's epoch/step counters are therefore its complete RNG
 * state, and a resumed run draws exactly what an uninterrupted run would.
 */

/** What a stream is used for; each gets an independent sequence. */
export const RNG_PURPOSE = { shuffle: 1, noise: 2, tfOps: 3, fixedNoise: 4, init: 5, augment: 6, instanceNoise: 7, spectralNorm: 8, generate: 9 } as const;
export type RngPurpose = keyof typeof RNG_PURPOSE;

/** Mix integers into one 32-bit seed (murmur3's finalizer over a running hash). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** mulberry32: a small, fast PRNG whose whole state is one uint32 (`state`). */
export class Rng {
  constructor(public state: number) {
    this.state = state >>> 0;
  }

  /** The stream for `purpose` number `counter` of a run seeded with `seed`. */
  static stream(seed: number, purpose: RngPurpose, counter = 0): Rng {
    return new Rng(mixSeed(seed, RNG_PURPOSE[purpose], counter));
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal samples (Box–Muller; both values of each pair are used). */
  normals(count: number): Float32Array {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i += 2) {
      // 1 - next() is in (0, 1], so the log is finite.
      const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
      const angle = 2 * Math.PI * this.next();
      out[i] = radius * Math.cos(angle);
      if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
    }
    return out;
  }

  /** A uniformly shuffled 0..n-1 (Fisher–Yates). */
  permutation(n: number): Uint32Array {
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i += 1) order[i] = i;
    for (let i = n - 1; i > 0; i -= 1) {
      const j = Math.floor(this.next() * (i + 1));
      const swap = order[i]!;
      order[i] = order[j]!;
      order[j] = swap;
    }
    return order;
  }
}

/**
 * Run `fn` with Math.random drawing from `rng`. tf.js seeds its unseeded
 * random ops (dropout masks, unseeded initializers) from Math.random, so this
 * is how those become reproducible. `fn` must be synchronous: the swap is
 * undone before any other code can run.
 */
export function withMathRandom<T>(rng: Rng, fn: () => T): T {
  const original = Math.random;
  Math.random = () => rng.next();
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}
