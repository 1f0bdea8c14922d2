/**
 * Latent vectors for the Generate view and `gan-studio generate`: fresh
 * samples drawn from a seed, and spherical interpolation (slerp) between two
 * of them. Sample i of seed s is the same vector however many samples are
 * drawn (the normals come from one sequential stream), so "sample 3 of seed
 * 42" names one image in the UI, the CLI and an interpolation alike.
 */
import { Rng } from '../common/rng';

/** `count` standard-normal latent vectors of `latentDim`, row-major. */
export function sampleLatents(seed: number, count: number, latentDim: number): Float32Array {
  return Rng.stream(seed, 'generate').normals(count * latentDim);
}

/** Latent vector number `index` (0-based) of seed `seed`. */
export function latentAt(seed: number, index: number, latentDim: number): Float32Array {
  return sampleLatents(seed, index + 1, latentDim).slice(index * latentDim);
}

/**
 * Spherical linear interpolation from `a` (t = 0) to `b` (t = 1) along the
 * great circle, scaled linearly in length. Gaussian latents concentrate near a
 * sphere; a straight line between two of them passes through the low-norm
 * interior the generator never saw, so slerp keeps frames looking like samples.
 * Nearly parallel vectors fall back to linear interpolation (sin ω ≈ 0).
 */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  if (a.length !== b.length) throw new Error(`slerp: expected vectors of one length, got ${a.length} and ${b.length}.`);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i += 1) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  const cosine = normA > 0 && normB > 0 ? Math.min(1, Math.max(-1, dot / Math.sqrt(normA * normB))) : 1;
  const omega = Math.acos(cosine);
  const sinOmega = Math.sin(omega);
  const [wa, wb] = sinOmega < 1e-6 ? [1 - t, t] : [Math.sin((1 - t) * omega) / sinOmega, Math.sin(t * omega) / sinOmega];
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i += 1) out[i] = wa * a[i]! + wb * b[i]!;
  return out;
}

/** `frames` vectors from `a` to `b` inclusive (t = i / (frames − 1)), row-major. */
export function interpolationLatents(a: Float32Array, b: Float32Array, frames: number): Float32Array {
  if (!Number.isInteger(frames) || frames < 2) throw new Error(`Interpolation: expected at least 2 frames, got ${frames}.`);
  const out = new Float32Array(frames * a.length);
  for (let i = 0; i < frames; i += 1) out.set(slerp(a, b, i / (frames - 1)), i * a.length);
  return out;
}
