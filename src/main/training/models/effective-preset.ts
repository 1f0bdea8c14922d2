/**
 * Applies a config's hyper-parameter overrides to its preset. The result is
 * still plain data, so the one builder (build.ts) never sees overrides.
 */
import type { TrainingConfig } from '../../../shared/config';
import type { LayerSpec, ModelPreset } from '../../../shared/presets';
import { PRESETS } from '../../../shared/preset-catalog';

/** The image the generator produces and the discriminator reads. */
export interface ImageShape {
  size: number;
  channels: 1 | 3;
}

/** Image side and channel count of the config's preset (overrides never change them). */
export function imageShapeOf(config: TrainingConfig): ImageShape {
  const preset = PRESETS[config.preset];
  return { size: preset.imageSize, channels: preset.channels };
}

/**
 * The preset with `latentDim`, `filterScale`, `batchNormMomentum`,
 * `leakyReluAlpha` and `dropout` from the config applied.
 */
export function effectivePreset(config: TrainingConfig): ModelPreset {
  const preset = PRESETS[config.preset];
  const scale = config.filterScale;
  const generator = scaleGeneratorProjection(preset.generator, scale).map((spec, index, all) =>
    // The last conv writes the image: its filter count is the channel count.
    isConv(spec) && index !== lastConvIndex(all) ? scaleConv(spec, scale) : spec,
  );
  const discriminator = preset.discriminator.map((spec) => (isConv(spec) ? scaleConv(spec, scale) : spec));
  return {
    ...preset,
    latentDim: config.latentDim,
    generator: generator.map((spec) => applyLayerOverrides(spec, config)),
    discriminator: discriminator.map((spec) => applyLayerOverrides(spec, config)),
  };
}

function applyLayerOverrides(spec: LayerSpec, config: TrainingConfig): LayerSpec {
  if (spec.type === 'batchNorm' && config.batchNormMomentum !== undefined) {
    return { ...spec, momentum: config.batchNormMomentum };
  }
  if (spec.type === 'leakyRelu' && config.leakyReluAlpha !== undefined) {
    return { ...spec, alpha: config.leakyReluAlpha };
  }
  if (spec.type === 'dropout' && config.dropout !== undefined) {
    return { ...spec, rate: config.dropout };
  }
  return spec;
}

/**
 * Scales the generator's projection: the reshape's channel count and the dense
 * layer feeding it, so the two stay consistent (units = h·w·channels).
 */
function scaleGeneratorProjection(specs: LayerSpec[], scale: number): LayerSpec[] {
  const reshapeIndex = specs.findIndex((spec) => spec.type === 'reshape');
  const reshape = specs[reshapeIndex];
  if (scale === 1 || reshape?.type !== 'reshape') return specs;
  const [height, width, channels] = reshape.targetShape;
  const scaledChannels = scaleCount(channels, scale);
  const denseIndex = lastIndexWhere(specs.slice(0, reshapeIndex), (spec) => spec.type === 'dense');
  return specs.map((spec, index) => {
    if (index === reshapeIndex) return { type: 'reshape', targetShape: [height, width, scaledChannels] };
    if (index === denseIndex && spec.type === 'dense') return { ...spec, units: height * width * scaledChannels };
    return spec;
  });
}

function isConv(spec: LayerSpec): spec is Extract<LayerSpec, { filters: number }> {
  return spec.type === 'conv2d' || spec.type === 'conv2dTranspose';
}

function lastConvIndex(specs: LayerSpec[]): number {
  return lastIndexWhere(specs, isConv);
}

// Array#findLastIndex is ES2023; the project targets ES2022.
function lastIndexWhere(specs: LayerSpec[], predicate: (spec: LayerSpec) => boolean): number {
  for (let index = specs.length - 1; index >= 0; index -= 1) {
    if (predicate(specs[index] as LayerSpec)) return index;
  }
  return -1;
}

function scaleConv(spec: Extract<LayerSpec, { filters: number }>, scale: number): LayerSpec {
  return { ...spec, filters: scaleCount(spec.filters, scale) };
}

function scaleCount(count: number, scale: number): number {
  return Math.max(1, Math.round(count * scale));
}
