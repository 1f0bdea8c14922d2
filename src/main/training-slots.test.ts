import { describe, expect, it } from 'vitest';
import { countNvidiaSmiGpus, defaultMaxConcurrentRuns, visibleGpuCount } from './training-slots';

describe('training slots', () => {
  it('counts the GPUs CUDA_VISIBLE_DEVICES names, up to the first invalid id', () => {
    expect(visibleGpuCount({})).toBeUndefined();
    expect(visibleGpuCount({ CUDA_VISIBLE_DEVICES: '0,1' })).toBe(2);
    expect(visibleGpuCount({ CUDA_VISIBLE_DEVICES: '' })).toBe(0);
    expect(visibleGpuCount({ CUDA_VISIBLE_DEVICES: '-1' })).toBe(0);
    expect(visibleGpuCount({ CUDA_VISIBLE_DEVICES: '2, 0,-1,1' })).toBe(2);
  });

  it('counts the GPU lines of nvidia-smi -L', () => {
    const output = 'GPU 0: NVIDIA H200 (UUID: GPU-1)\n  MIG 1g.18gb Device 0: (UUID: MIG-1)\nGPU 1: NVIDIA H200 (UUID: GPU-2)\n';
    expect(countNvidiaSmiGpus(output)).toBe(2);
    expect(countNvidiaSmiGpus('')).toBe(0);
  });

  it('gives one slot per visible GPU, and one without any', async () => {
    expect(await defaultMaxConcurrentRuns({ CUDA_VISIBLE_DEVICES: '0,1,2' })).toBe(3);
    expect(await defaultMaxConcurrentRuns({ CUDA_VISIBLE_DEVICES: '-1' })).toBe(1);
  });
});
