/** A Keras-style model summary, as `model.summary()` prints it. */
export interface ModelSummaryRow {
  /** Layer name, e.g. "dense" or "conv2d_transpose_1". */
  name: string;
  /** Layer class, e.g. "Dense", "Conv2DTranspose". */
  className: string;
  /** Output shape with the batch dimension as null, e.g. [null, 8, 8, 256]. */
  outputShape: (number | null)[];
  params: number;
}

export interface ModelSummary {
  name: string;
  rows: ModelSummaryRow[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
}
