/** Model presets → tf.js models: build, summarise, save and load. */
export { buildGenerator, buildDiscriminator, deriveSeed, ModelBuildError } from './build';
export { effectivePreset, imageShapeOf } from './effective-preset';
export type { ImageShape } from './effective-preset';
export { summarizeModel, formatSummary } from './summary';
export { saveModelToDir, loadModelFromDir, ModelIOError } from '../../common/model-io';
