/**
 * Spectral normalisation (Miyato et al. 2018): every conv / dense kernel W
 * of the discriminator is used as W / σ(W), σ its largest singular value, so
 * D is (about) 1-Lipschitz per layer and its gradients stay tame. σ comes
 * from one power-iteration step per training step on W reshaped to
 * [fan-in, units], with the vector u carried across steps (and checkpoints),
 * so the estimate sharpens as W moves slowly. u and v are constants for the
 * gradient; σ = vᵀWu is not, as in the paper.
 *
 * The layers are not rebuilt: while `apply` runs, each kernel's read()
 * returns the normalised tensor, so the saved model keeps its raw W.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../common/rng';

/** A layer weight as tf.layers holds it (LayerVariable). */
interface KernelVariable {
  readonly name: string;
  readonly shape: (number | null)[];
  read(): tf.Tensor;
}

interface Normalised {
  /** Its key in checkpoints: by position, not by layer name (a model loaded from a checkpoint may number its layers differently). */
  key: string;
  kernel: KernelVariable;
  raw: tf.Variable;
  /** The right singular vector estimate, [units]. */
  u: tf.Variable;
  /** This step's left vector, [fan-in] (a constant). */
  v?: tf.Tensor;
}

export class SpectralNorm {
  private readonly kernels: Normalised[];

  /** Normalise every conv / dense kernel of `model`; u starts as a normal draw from `rng`. */
  constructor(model: tf.LayersModel, rng: Rng) {
    const kernels = model.layers.flatMap((layer) => (layer as unknown as { kernel?: KernelVariable }).kernel ?? []);
    this.kernels = kernels.map((kernel, index) => {
      const units = kernel.shape.at(-1)!;
      const start = tf.tidy(() => unit(tf.tensor1d(rng.normals(units))));
      const u = tf.variable(start, false);
      // The variable holds its own reference to the data: the start tensor would otherwise outlive the run.
      start.dispose();
      return { key: `spectral-norm/u/${index}`, kernel, raw: kernel.read() as tf.Variable, u };
    });
  }

  /** One power-iteration step per kernel (no gradient): u ← normalise(Wᵀ normalise(W u)), v ← normalise(W u). */
  powerIteration(): void {
    for (const item of this.kernels) {
      item.v?.dispose();
      const [u, v] = tf.tidy(() => {
        const w = matrix(item.raw);
        const vOld = unit(tf.matMul(w, item.u.expandDims(1)).squeeze([1]));
        const uNew = unit(tf.matMul(w, vOld.expandDims(1), true).squeeze([1]));
        return [uNew, unit(tf.matMul(w, uNew.expandDims(1)).squeeze([1]))];
      });
      item.u.assign(u!);
      u!.dispose();
      // Kept: it outlives any tidy scope this is called in, until the next iteration.
      item.v = tf.keep(v!);
    }
  }

  /** σ of each kernel with the current u, v (after powerIteration). */
  async sigmas(): Promise<number[]> {
    const values = tf.tidy(() => tf.stack(this.kernels.map((item) => sigma(item.raw, item.u, item.v!))));
    const out = [...(await values.data())];
    values.dispose();
    return out;
  }

  /** Run `fn` with every kernel read as W / σ(W) (σ differentiable in W). */
  within<T>(fn: () => T): T {
    if (this.kernels.some((item) => item.v === undefined)) this.powerIteration();
    for (const item of this.kernels) {
      item.kernel.read = () => tf.div(item.raw, sigma(item.raw, item.u, item.v!));
    }
    try {
      return fn();
    } finally {
      // The prototype's read() returns the raw variable again.
      for (const item of this.kernels) delete (item.kernel as Partial<KernelVariable>).read;
    }
  }

  /** The u vectors by kernel name, for checkpoints. */
  state(): { name: string; tensor: tf.Tensor }[] {
    return this.kernels.map((item) => ({ name: item.key, tensor: item.u }));
  }

  /** Restore u vectors saved by state(); names must match. */
  restore(saved: { name: string; tensor: tf.Tensor }[]): void {
    for (const item of this.kernels) {
      const match = saved.find((entry) => entry.name === item.key);
      if (match === undefined || match.tensor.size !== item.u.size) {
        throw new Error(`Spectral norm: expected a saved u vector "${item.key}" of ${item.u.size} values, found ${match ? match.tensor.size : 'none'}.`);
      }
      // tidy: the reshaped view is a tensor of its own; the variable keeps the data.
      tf.tidy(() => item.u.assign(match.tensor.reshape(item.u.shape)));
    }
    for (const item of this.kernels) {
      item.v?.dispose();
      item.v = undefined; // recomputed from the restored u
    }
  }

  dispose(): void {
    for (const item of this.kernels) {
      item.u.dispose();
      item.v?.dispose();
    }
  }
}

/** W as a [fan-in, units] matrix (conv kernels are [kh, kw, in, out]). */
function matrix(w: tf.Tensor): tf.Tensor2D {
  return w.reshape([-1, w.shape.at(-1)!]);
}

function sigma(w: tf.Tensor, u: tf.Tensor, v: tf.Tensor): tf.Scalar {
  return tf.sum(tf.matMul(matrix(w), u.expandDims(1)).squeeze([1]).mul(v));
}

function unit(x: tf.Tensor): tf.Tensor1D {
  return x.div(x.norm().add(1e-12)) as tf.Tensor1D;
}
