import { describe, expect, it } from 'vitest';
import { webgpuTestAvailability } from './test-availability';

const llvmpipe = { vendor: 'mesa', architecture: 'software', device: 'llvmpipe', description: 'Mesa 25.0.7', isFallbackAdapter: false };

describe('webgpu test availability', () => {
  it('runs wherever an adapter exists, CI or not, and names it', () => {
    for (const env of [{ CI: 'true' }, {}]) {
      expect(webgpuTestAvailability(llvmpipe, env)).toEqual({ run: true, adapter: 'GPU (WebGPU: mesa software, Mesa 25.0.7; software adapter)' });
    }
  });

  it('outside CI, no adapter gives a loud banner naming what was skipped and the driver to install', () => {
    const result = webgpuTestAvailability(null, {});
    expect(result.run).toBe(false);
    if (result.run) return;
    expect(result.banner).toContain('WEBGPU SKIPPED');
    expect(result.banner).toContain('no WebGPU adapter');
    expect(result.banner).toContain('apt-get install -t bookworm-backports mesa-vulkan-drivers');
  });

  it('a probe that failed is skipped with its message', () => {
    const result = webgpuTestAvailability(new Error('Dawn (dawn.node) failed to load: libvulkan.so.1'), {});
    expect(result.run === false && result.banner).toContain('the WebGPU probe failed: Dawn (dawn.node) failed to load: libvulkan.so.1');
  });

  it('under CI=true, no adapter fails the run', () => {
    expect(() => webgpuTestAvailability(null, { CI: 'true' })).toThrow(/CI must run them: .*mesa-vulkan-drivers/);
    expect(() => webgpuTestAvailability(new Error('boom'), { CI: 'true' })).toThrow(/probe failed: boom/);
  });
});
