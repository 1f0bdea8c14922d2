/**
 * Turns one LayerSpec into a tf.js layer with a Keras-style name and a seeded
 * kernel initializer.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerSpec } from '../../../shared/presets';

/** Keras's snake-case layer name stem for each spec type. */
const NAME_STEMS: Record<LayerSpec['type'], string> = {
  dense: 'dense',
  batchNorm: 'batch_normalization',
  leakyRelu: 'leaky_re_lu',
  relu: 're_lu',
  reshape: 'reshape',
  flatten: 'flatten',
  dropout: 'dropout',
  conv2d: 'conv2d',
  conv2dTranspose: 'conv2d_transpose',
};

/**
 * Hands out names the way Keras does within one model ("dense", "dense_1", …).
 * Counting per model (not per process like tfjs's defaults) keeps names, and
 * so the weight names in a saved model.json, identical across builds.
 */
export class LayerNamer {
  private readonly counts = new Map<string, number>();

  next(type: LayerSpec['type']): string {
    const stem = NAME_STEMS[type];
    const count = this.counts.get(stem) ?? 0;
    this.counts.set(stem, count + 1);
    return count === 0 ? stem : `${stem}_${count}`;
  }
}

/** Extra arguments only the first layer of a model takes. */
interface FirstLayerArgs {
  inputShape?: number[];
}

/** Builds the tf.js layer for `spec`; `seed` seeds its kernel initializer. */
export function createLayer(spec: LayerSpec, name: string, seed: number, first: FirstLayerArgs): tf.layers.Layer {
  const kernelInitializer = tf.initializers.glorotUniform({ seed });
  switch (spec.type) {
    case 'dense':
      return tf.layers.dense({ ...first, name, units: spec.units, useBias: spec.useBias, kernelInitializer });
    case 'batchNorm':
      return tf.layers.batchNormalization({ ...first, name, momentum: spec.momentum });
    case 'leakyRelu':
      return tf.layers.leakyReLU({ ...first, name, alpha: spec.alpha });
    case 'relu':
      return tf.layers.reLU({ ...first, name });
    case 'reshape':
      return tf.layers.reshape({ ...first, name, targetShape: spec.targetShape });
    case 'flatten':
      return tf.layers.flatten({ ...first, name });
    case 'dropout':
      // No seed: a tf.js Dropout seed fixes the mask for every step.
      return tf.layers.dropout({ ...first, name, rate: spec.rate });
    case 'conv2d':
    case 'conv2dTranspose': {
      const args = {
        ...first,
        name,
        filters: spec.filters,
        kernelSize: spec.kernelSize,
        strides: spec.strides,
        padding: spec.padding,
        useBias: spec.useBias,
        activation: spec.activation ?? 'linear',
        kernelInitializer,
      };
      return spec.type === 'conv2d' ? tf.layers.conv2d(args) : tf.layers.conv2dTranspose(args);
    }
  }
}
