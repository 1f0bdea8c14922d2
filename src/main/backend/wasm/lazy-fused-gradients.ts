/**
 * tfjs's fused conv2d / matMul (what tf.layers' Conv2D and Dense call) take
 * their gradient through customGrad, which computes the gradient for *every*
 * input each time — the image gradient of a discriminator's first conv while
 * only its weights train, the weight gradients of the discriminator during
 * the generator's update. Unfused ops register per-input gradient thunks the
 * tape only calls when needed. While the wasm backend records gradients, a
 * linear-activation fused call is therefore run unfused (same maths: op,
 * then bias add); everything else — inference, other backends, fused
 * activations — goes to tfjs's own function.
 */
import * as tf from '@tensorflow/tfjs';

type FusedConv2dArgs = Parameters<typeof tf.fused.conv2d>[0];
type FusedMatMulArgs = Parameters<typeof tf.fused.matMul>[0];

/** The mutable namespace tf.layers reads `fused.conv2d` / `fused.matMul` from at call time. */
interface FusedNamespace {
  conv2d: typeof tf.fused.conv2d;
  matMul: typeof tf.fused.matMul;
}

const recordingOnWasm = (activation: string | undefined, dataFormat?: string): boolean =>
  (activation === undefined || activation === 'linear') &&
  dataFormat !== 'NCHW' &&
  tf.getBackend() === 'wasm' &&
  (tf.engine().state as unknown as { gradientDepth: number }).gradientDepth > 0;

let installed = false;

/**
 * Installs the lazy-gradient versions. Returns false when tfjs's namespace
 * is frozen (some bundlers freeze it): training still works, only slower.
 */
export function installLazyFusedGradients(): boolean {
  if (installed) return true;
  const fused = tf.fused as unknown as FusedNamespace;
  if (Object.isFrozen(fused)) return false;
  const { conv2d, matMul } = fused;
  try {
    fused.conv2d = ((args: FusedConv2dArgs) => {
      if (!recordingOnWasm(args.activation, args.dataFormat)) return conv2d(args);
      const y = tf.conv2d(
        args.x as tf.Tensor4D,
        args.filter as tf.Tensor4D,
        args.strides,
        args.pad,
        args.dataFormat,
        args.dilations,
        args.dimRoundingMode,
      );
      return args.bias === undefined || args.bias === null ? y : tf.add(y, args.bias);
    }) as typeof tf.fused.conv2d;
    fused.matMul = ((args: FusedMatMulArgs) => {
      if (!recordingOnWasm(args.activation)) return matMul(args);
      const y = tf.matMul(args.a, args.b, args.transposeA, args.transposeB);
      return args.bias === undefined || args.bias === null ? y : tf.add(y, args.bias);
    }) as typeof tf.fused.matMul;
  } catch {
    fused.conv2d = conv2d;
    fused.matMul = matMul;
    return false;
  }
  installed = true;
  return true;
}
