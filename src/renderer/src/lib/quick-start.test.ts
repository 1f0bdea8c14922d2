import { describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../../shared/api';
import { PRESETS } from '../../../shared/preset-catalog';
import { builtinDataset, isFreshStudio, QUICK_PRESET } from './quick-start';

const dataset = (kind: string, size?: number): DatasetInfo =>
  ({ manifest: { source: { kind }, options: size === undefined ? {} : { size } }, previewUrl: '' }) as unknown as DatasetInfo;

describe('quick start', () => {
  it('names a preset that exists and reads the built-in set at its own size (28×28×1)', () => {
    expect(PRESETS[QUICK_PRESET]).toMatchObject({ imageSize: 28, channels: 1 });
  });

  it('is fresh only with no dataset and no run', () => {
    expect(isFreshStudio([], [])).toBe(true);
    expect(isFreshStudio([dataset('builtin')], [])).toBe(false);
    expect(isFreshStudio([], [{ id: 'r', name: 'r', status: 'damaged', damage: 'x', createdAt: '' }])).toBe(false);
  });

  it('picks the built-in dataset as imported, not a resized copy or another source', () => {
    const own = dataset('builtin');
    expect(builtinDataset([dataset('zip'), dataset('builtin', 16), own])).toBe(own);
    expect(builtinDataset([dataset('builtin', 16)])).toBeUndefined();
  });
});
