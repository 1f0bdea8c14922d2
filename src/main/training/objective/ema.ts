/**
 * An exponential moving average of the generator's weights (Karras et al.
 * 2018; Yazıcı et al. 2019): after every generator update,
 * ema ← decay · ema + (1 − decay) · G for trainable weights, while
 * BatchNorm's moving statistics are copied as they are. The average
 * smooths out the step-to-step oscillation of adversarial training, so its
 * samples are usually cleaner than the raw generator's; sample grids use it
 * when it is on, and checkpoints save it (generator-ema/).
 */
import * as tf from '@tensorflow/tfjs';

export class GeneratorEma {
  /**
   * `copy` must have the generator's architecture (e.g. a second build of the
   * same config); it starts equal to `generator`.
   */
  constructor(
    private readonly generator: tf.LayersModel,
    readonly model: tf.LayersModel,
    readonly decay: number,
  ) {
    if (!(decay >= 0 && decay < 1)) throw new Error(`EMA: expected a decay in [0, 1), got ${decay}.`);
    const from = generator.weights;
    const to = model.weights;
    if (from.length !== to.length || from.some((w, i) => w.shape.join('x') !== to[i]!.shape.join('x'))) {
      throw new Error('EMA: expected a copy with the generator\'s architecture, got different weights.');
    }
    model.setWeights(generator.getWeights());
  }

  /** One update after a generator step. */
  update(): void {
    tf.tidy(() => {
      this.generator.weights.forEach((weight, i) => {
        const average = this.model.weights[i]!;
        const current = weight.read();
        // write() copies the values into the copy's own variable.
        average.write(weight.trainable ? average.read().mul(this.decay).add(current.mul(1 - this.decay)) : current);
      });
    });
  }
}
