import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../../shared/preset-catalog';
import { fitsPreset, pickDataset, presetForDataset } from './dataset-fit';

const presets = Object.values(PRESETS);
const images = (id: string, width: number, channels: 1 | 3) => ({ id, width, height: width, channels });

describe('dataset and preset fit', () => {
  it('a preset fits images of exactly its size and channels', () => {
    expect(fitsPreset(images('a', 28, 1), PRESETS.quick)).toBe(true);
    expect(fitsPreset(images('a', 28, 3), PRESETS.quick)).toBe(false);
    expect(fitsPreset({ width: 28, height: 32, channels: 1 }, PRESETS.quick)).toBe(false);
  });

  it('New run defaults to the newest dataset the preset can use, not merely the newest import', () => {
    const library = [images('cifar-32', 32, 3), images('fashion-16', 16, 1), images('fashion-28', 28, 1)];
    expect(pickDataset(library, PRESETS.quick)).toBe('fashion-28');
    expect(pickDataset(library, PRESETS.tiny)).toBe('fashion-16');
    expect(pickDataset(library, PRESETS['dcgan-64'])).toBe('cifar-32'); // nothing fits: the newest, and the form offers a re-import
    expect(pickDataset([], PRESETS.quick)).toBeUndefined();
  });

  it('"Train on this" picks a preset that fits the images, quick first', () => {
    expect(presetForDataset(images('f', 28, 1), presets)).toBe('quick');
    expect(presetForDataset(images('f', 16, 1), presets)).toBe('tiny');
    expect(presetForDataset(images('c', 64, 3), presets)).toBe('dcgan-64');
    expect(['seed-model-one', 'seed-model-four']).toContain(presetForDataset(images('c', 32, 3), presets));
    // No exact fit: the nearest with the same channels (a re-import at its size is one click away).
    expect(presetForDataset(images('c', 48, 3), presets)).toMatch(/^(seed-model-one|seed-model-four|dcgan-64)$/);
    expect(presetForDataset(images('g', 20, 1), presets)).toBe('tiny');
  });
});
