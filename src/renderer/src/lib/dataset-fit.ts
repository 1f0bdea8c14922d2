/**
 * Which datasets a preset can train on, and which preset fits a dataset:
 * the trainer refuses images of another shape, so the New run form picks a
 * dataset that fits its preset, and "Train on this" a preset that fits the
 * images.
 */
import type { DatasetManifest } from '../../../shared/dataset';
import type { ModelPreset, PresetName } from '../../../shared/presets';

type Shape = Pick<DatasetManifest, 'width' | 'height' | 'channels'>;
type PresetShape = Pick<ModelPreset, 'name' | 'imageSize' | 'channels'>;

/** The preset generates images of exactly this shape. */
export function fitsPreset(images: Shape, preset: Pick<ModelPreset, 'imageSize' | 'channels'>): boolean {
  return images.width === preset.imageSize && images.height === preset.imageSize && images.channels === preset.channels;
}

/** The first dataset (the list is newest first) the preset can train on, else the first one; none for an empty library. */
export function pickDataset(manifests: readonly (Shape & Pick<DatasetManifest, 'id'>)[], preset: PresetShape): string | undefined {
  return (manifests.find((m) => fitsPreset(m, preset)) ?? manifests[0])?.id;
}

/** The preset "Train on this" opens with: one that fits (quick first, the default), else the closest in channels and size. */
export function presetForDataset(images: Shape, presets: readonly PresetShape[], preferred: PresetName = 'quick'): PresetName | undefined {
  const ordered = [...presets].sort((a, b) => Number(b.name === preferred) - Number(a.name === preferred));
  const fitting = ordered.find((preset) => fitsPreset(images, preset));
  if (fitting) return fitting.name;
  const distance = (preset: PresetShape) => (preset.channels === images.channels ? 0 : 10_000) + Math.abs(preset.imageSize - images.width);
  return [...ordered].sort((a, b) => distance(a) - distance(b))[0]?.name;
}
