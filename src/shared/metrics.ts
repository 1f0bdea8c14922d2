/**
 * Metric records, named as the course names them. The same shape is written
 * to metrics.jsonl / epochs.jsonl and sent over every process boundary.
 */

/** One training step. Accuracies are in [0, 1]. */
export interface StepMetrics {
  /** Global step, 1-based, across epochs. */
  step: number;
  /** Epoch, 1-based. */
  epoch: number;
  gen_loss: number;
  disc_loss: number;
  /** mean(sigmoid(D(real)) >= 0.5) */
  real_accuracy: number;
  /** mean(sigmoid(D(G(z))) < 0.5) */
  fake_accuracy: number;
  /** Wall time of the step in milliseconds. */
  ms: number;
}

/** Means over one epoch plus throughput. */
export interface EpochMetrics {
  epoch: number;
  /** Last global step of the epoch. */
  step: number;
  gen_loss: number;
  disc_loss: number;
  real_accuracy: number;
  fake_accuracy: number;
  images_per_second: number;
  /** Wall time of the epoch in seconds. */
  seconds: number;
}
