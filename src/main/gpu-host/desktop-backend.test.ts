import { describe, expect, it } from 'vitest';
import type { BackendReport } from '../../shared/backends';
import type { GpuWindowFinding } from '../../shared/gpu-window';
import { desktopBackendProbe, desktopBackendReport, gpuWindowSkipReason } from './desktop-backend';

const DAWN_SKIP = "Dawn's Node binding cannot read GPU memory back inside Electron";
const wasm: BackendReport = {
  name: 'wasm',
  device: 'CPU (WebAssembly, XNNPACK, 8 threads)',
  skipped: [
    { name: 'tfjs-node-gpu', reason: 'not installed (npm package @tensorflow/tfjs-node-gpu)' },
    { name: 'webgpu', reason: DAWN_SKIP },
    { name: 'tfjs-node', reason: 'not installed (npm package @tensorflow/tfjs-node)' },
  ],
};
const apple = { vendor: 'apple', architecture: 'metal-3', device: '', description: 'Apple M2', isFallbackAdapter: false, software: false };
const swiftshader = { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader', isFallbackAdapter: false, software: true };
const works = (adapter: typeof apple): GpuWindowFinding => ({ adapter, report: { name: 'webgpu', device: "GPU (WebGPU: apple metal-3, Apple M2; hardware adapter) in the app's Chromium", skipped: [] }, error: null });

describe("desktopBackendReport: auto's chain with the GPU window standing in for Dawn", () => {
  it('a hardware adapter that passed the smoke op: auto trains on webgpu in the window, after tfjs-node-gpu was skipped', () => {
    expect(desktopBackendReport(wasm, works(apple))).toEqual({ name: 'webgpu', device: "GPU (WebGPU: apple metal-3, Apple M2; hardware adapter) in the app's Chromium", skipped: [wasm.skipped[0]] });
  });

  it('tfjs-node-gpu comes first in the chain, GPU window or not', () => {
    const cuda: BackendReport = { name: 'tfjs-node-gpu', device: 'GPU (CUDA, libtensorflow)', skipped: [] };
    expect(desktopBackendReport(cuda, works(apple))).toBe(cuda);
  });

  it("a software adapter is skipped with the window's reason in place of Dawn's", () => {
    const report = desktopBackendReport(wasm, works(swiftshader));
    expect(report.name).toBe('wasm');
    expect(report.skipped.map((skip) => skip.name)).toEqual(['tfjs-node-gpu', 'webgpu', 'tfjs-node']);
    expect(report.skipped[1]!.reason).toBe("only a software adapter in the app's GPU window (google swiftshader, SwiftShader): slower than wasm; choose webgpu as the backend to use it anyway");
  });

  it('no adapter, a failed smoke op or a window that did not load: skipped with why', () => {
    const none: GpuWindowFinding = { adapter: null, report: null, error: 'Chromium found no WebGPU adapter' };
    expect(desktopBackendReport(wasm, none).skipped[1]).toEqual({ name: 'webgpu', reason: "the app's GPU window (Chromium's WebGPU): Chromium found no WebGPU adapter" });
    const failed: GpuWindowFinding = { adapter: apple, report: null, error: 'smoke op failed: device lost' };
    expect(gpuWindowSkipReason(failed)).toBe("the app's GPU window (Chromium's WebGPU): smoke op failed: device lost");
    expect(gpuWindowSkipReason(works(apple))).toBeUndefined();
  });
});

describe('desktopBackendProbe', () => {
  it('asks both once and shares the answer; a failure is asked again', async () => {
    let asks = 0;
    let fail = true;
    const probe = desktopBackendProbe(
      async () => {
        asks += 1;
        if (fail) throw new Error('the probe process crashed');
        return wasm;
      },
      async () => works(apple),
    );
    await expect(probe()).rejects.toThrow('crashed');
    fail = false;
    const [first, second] = await Promise.all([probe(), probe()]);
    expect(first).toBe(second);
    expect(first.name).toBe('webgpu');
    expect(asks).toBe(2);
  });
});
