import { describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../shared/doctor';
import { formatDoctorReport } from './doctor-format';
import { NO_NVIDIA_GPU, probeCuda } from './doctor-probe';

const report: DoctorReport = {
  version: 2,
  auto: 'wasm',
  gpuWorks: false,
  summary: 'No GPU backend works: auto trains on wasm — CPU (WebAssembly).',
  backends: [
    { name: 'tfjs-node-gpu', works: false, device: null, detail: 'dlopen failed:\n\u001b[2Kfake line', autoSkips: null, fixes: ['install cuDNN 8.1'] },
    { name: 'webgpu', works: false, device: null, detail: 'no WebGPU adapter', autoSkips: null, fixes: [] },
    { name: 'tfjs-node', works: false, device: null, detail: 'not installed', autoSkips: null, fixes: [] },
    { name: 'wasm', works: true, device: 'cpu', detail: 'CPU (WebAssembly)', autoSkips: null, fixes: [] },
    { name: 'cpu', works: true, device: 'cpu', detail: 'CPU (pure JavaScript)', autoSkips: null, fixes: [] },
  ],
  webgpu: {
    adapters: [
      { vendor: 'evil\u001b[2K', architecture: '', device: '', description: 'GPU\u202eXYZ', isFallbackAdapter: false, software: false, powerPreferences: ['low-power'] },
    ],
    error: null,
    vulkanDrivers: [],
  },
  cuda: probeCuda({ ldconfigListing: null, ldLibraryPath: '', exists: () => false, nvidiaProcVersion: null, nvidiaSmiRuns: false }),
  platform: { os: 'linux', arch: 'x64', runtime: 'node' },
  versions: { node: '20.0.0', tfjs: '4.22.0', tfjsNodeGpu: null, tfjsBackendWebgpu: '4.22.0', webgpu: null, electron: '45.5.0' },
};

describe('formatDoctorReport', () => {
  it('prints one verdict line per backend, the fix, the adapters, auto, and escapes control characters', () => {
    const text = formatDoctorReport(report);
    expect(text).toContain('  tfjs-node-gpu does not load — dlopen failed:\\n\\x1b[2Kfake line');
    expect(text).toContain('                fix: install cuDNN 8.1');
    expect(text).toContain('  wasm          works — CPU (WebAssembly)');
    expect(text).toContain('WebGPU adapters (Dawn: npm webgpu not installed, tfjs-backend-webgpu 4.22.0):\n  evil\\x1b[2K · GPU\\u{202e}XYZ — hardware (low-power)\n  Vulkan drivers: none installed');
    // No NVIDIA GPU: said once (tfjs-node-gpu's line), not as eight missing sonames the GPU would need.
    const once = formatDoctorReport({ ...report, backends: report.backends.map((v) => (v.name === 'tfjs-node-gpu' ? { ...v, fixes: report.cuda!.fixes } : v)) });
    expect(once.split(NO_NVIDIA_GPU).length - 1).toBe(1);
    expect(text).not.toContain('CUDA 11.2 / cuDNN 8.1 for tfjs-node-gpu:');
    expect(text).not.toContain('missing libcudnn.so.8');
    expect(text).toContain('Versions: Node 20.0.0, tfjs 4.22.0, tfjs-node-gpu not installed, tfjs-backend-webgpu 4.22.0, webgpu not installed, Electron 45.5.0');
    expect(text).toContain('Platform: linux x64, diagnosed in plain Node');
    // What trains here leads; the rest follows.
    expect(text.startsWith('Trains here: wasm.\nNo GPU backend works: auto trains on wasm — CPU (WebAssembly).\n\nBackends (tried in this order by auto):\n')).toBe(true);
    expect(formatDoctorReport({ ...report, speed: { preset: 'quick', batchSize: 64, imagesPerSecond: 312.4 } })).toMatch(
      /^Trains here: wasm, about 310 images\/s \(quick preset, batch 64\): an epoch of the built-in 10,000 images in about 32 s\.\n/,
    );
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u202e');
  });

  it('says why Dawn could not be asked, and prints no Vulkan line off Linux', () => {
    const text = formatDoctorReport({ ...report, webgpu: { adapters: [], error: 'not installed (npm package webgpu)', vulkanDrivers: null } });
    expect(text).toContain('WebGPU adapters (Dawn: npm webgpu not installed, tfjs-backend-webgpu 4.22.0):\n  none: not installed (npm package webgpu)\n\nVersions');
  });

  it("prints the GPU window section only when the report has one (the desktop app's), escaping its strings", () => {
    expect(formatDoctorReport(report)).not.toContain('GPU window');
    const gpuWindow = {
      adapter: { vendor: 'evil\u001b[2K', architecture: '', device: '', description: 'GPU\u202eXYZ', isFallbackAdapter: false, software: false },
      report: null,
      error: 'the gradient smoke op failed:\nfake line',
    };
    const text = formatDoctorReport({ ...report, platform: { ...report.platform, runtime: 'electron' }, gpuWindow });
    expect(text).toContain(
      "Vulkan drivers: none installed\n\nGPU window (Chromium's WebGPU, desktop app):\n" +
        '  adapter       evil\\x1b[2K · GPU\\u{202e}XYZ — hardware\n' +
        '  webgpu        does not load — the gradient smoke op failed:\\nfake line\n' +
        '                fix: a hardware adapter was found but the backend failed (see why above): update the GPU driver; until then auto trains on the next backend\n\nVersions',
    );
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u202e');
  });
});
