/**
 * The R1 penalty (Mescheder et al. 2018): (γ/2) · E‖∇ₓD(x)‖² on real images
 * — it keeps D flat on the data, which makes GAN training converge. The
 * penalty is differentiated again for D's update, so D's layers need
 * second-order gradients: tfjs has them for every op a DCGAN's D uses except
 * the comparisons inside LeakyReLU's / ReLU's own gradient, whose gradient
 * is zero everywhere; registerComparisonGradients adds exactly that (cpu,
 * wasm and every other backend: gradients are backend-independent).
 */
import * as tf from '@tensorflow/tfjs';

/** D's outputs on `real` and the penalty, from one forward pass (call inside D's gradient scope). */
export function r1Penalty(discriminate: (x: tf.Tensor) => tf.Tensor, real: tf.Tensor, gamma: number): { logits: tf.Tensor; penalty: tf.Scalar } {
  registerComparisonGradients();
  // With no dy, the gradient is of sum(D(x)): each image's own ∇ₓD while images do not interact in D
  // (BatchNorm in training mode couples them; the penalty is then of the batch's summed output).
  const { value: logits, grad } = tf.valueAndGrad(discriminate)(real);
  const squaredNorms = grad.square().sum(grad.shape.slice(1).map((_, axis) => axis + 1));
  return { logits, penalty: squaredNorms.mean().mul(gamma / 2) as tf.Scalar };
}

const COMPARISONS = ['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual'];
let registered = false;

/** Comparisons are piecewise constant: their gradient is 0 (tfjs registers none, so second-order gradients through LeakyReLU fail). */
export function registerComparisonGradients(): void {
  if (registered) return;
  for (const kernelName of COMPARISONS) {
    if (tf.getGradient(kernelName) !== undefined) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy, saved) => ({ a: () => tf.zerosLike(saved[0]!), b: () => tf.zerosLike(saved[1]!) }),
    });
  }
  registered = true;
}
