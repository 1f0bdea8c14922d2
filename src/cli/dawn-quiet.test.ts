import { describe, expect, it } from 'vitest';
import { needsDawnFilter } from './dawn-quiet';

describe('needsDawnFilter', () => {
  it('filters the commands that compute in the CLI process when webgpu is forced', () => {
    expect(needsDawnFilter(['score', 'RUN', '--backend', 'webgpu'], {})).toBe(true);
    expect(needsDawnFilter(['generate', 'RUN', '--backend=webgpu', '--out', 'x'], {})).toBe(true);
    expect(needsDawnFilter(['bench', '--backend', 'webgpu'], {})).toBe(true);
    expect(needsDawnFilter(['score', 'RUN'], { GAN_STUDIO_BACKEND: 'webgpu' })).toBe(true);
  });

  it('leaves everything else in process: other backends, other commands, the filtered child itself, DEBUG', () => {
    expect(needsDawnFilter(['score', 'RUN', '--backend', 'wasm'], {})).toBe(false);
    expect(needsDawnFilter(['score', 'RUN'], {})).toBe(false);
    expect(needsDawnFilter(['score', 'RUN', '--backend', 'wasm'], { GAN_STUDIO_BACKEND: 'webgpu' })).toBe(false);
    // train and doctor already keep Dawn in filtered children of their own.
    expect(needsDawnFilter(['train', '--backend', 'webgpu'], {})).toBe(false);
    expect(needsDawnFilter(['score', 'RUN', '--backend', 'webgpu'], { GAN_STUDIO_DAWN_FILTERED: '1' })).toBe(false);
    expect(needsDawnFilter(['score', 'RUN', '--backend', 'webgpu'], { DEBUG: '1' })).toBe(false);
    // "webgpu" as another flag's value is not a forced backend.
    expect(needsDawnFilter(['generate', 'RUN', '--out', 'webgpu'], {})).toBe(false);
  });
});
