/** Keras-style model summaries: the data (for the UI) and the printed table (for the CLI). */
import type * as tf from '@tensorflow/tfjs';
import type { ModelSummary, ModelSummaryRow } from '../../../shared/summary';

/** Layers, output shapes and parameter counts of `model`, as Keras's model.summary() reports them. */
export function summarizeModel(model: tf.LayersModel): ModelSummary {
  const rows: ModelSummaryRow[] = model.layers.map((layer) => ({
    name: layer.name,
    className: layer.getClassName(),
    outputShape: singleShape(layer.outputShape),
    params: layer.countParams(),
  }));
  const trainableParams = countWeights(model.trainableWeights);
  const nonTrainableParams = countWeights(model.nonTrainableWeights);
  return {
    name: model.name,
    rows,
    totalParams: trainableParams + nonTrainableParams,
    trainableParams,
    nonTrainableParams,
  };
}

/** The summary as the table Keras prints: Layer (type) | Output Shape | Param #, then the totals. */
export function formatSummary(summary: ModelSummary): string {
  const cells = summary.rows.map((row) => [
    `${row.name} (${row.className})`,
    formatShape(row.outputShape),
    formatCount(row.params),
  ]);
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((row) => row[column]?.length ?? 0)) + 3);
  const line = (values: string[]): string =>
    ' ' + values.map((value, column) => value.padEnd(widths[column] ?? 0)).join('').trimEnd();
  const width = widths.reduce((sum, w) => sum + w, 1);
  const thin = '_'.repeat(width);
  const thick = '='.repeat(width);
  return [
    `Model: "${summary.name}"`,
    thin,
    line(header),
    thick,
    cells.map(line).join('\n'),
    thick,
    `Total params: ${formatCount(summary.totalParams)}`,
    `Trainable params: ${formatCount(summary.trainableParams)}`,
    `Non-trainable params: ${formatCount(summary.nonTrainableParams)}`,
    thin,
  ].join('\n');
}

function singleShape(shape: tf.Shape | tf.Shape[]): (number | null)[] {
  // Sequential layers have one output; a nested array would mean several.
  const first = shape[0];
  return Array.isArray(first) ? first : (shape as tf.Shape);
}

function countWeights(weights: tf.LayerVariable[]): number {
  return weights.reduce((sum, weight) => sum + weight.shape.reduce((product: number, dim) => product * (dim ?? 1), 1), 0);
}

function formatShape(shape: (number | null)[]): string {
  return `(${shape.map((dim) => (dim === null ? 'None' : String(dim))).join(', ')})`;
}

/** 2733504 → "2,733,504" (fixed locale so output is the same on every machine). */
function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}
