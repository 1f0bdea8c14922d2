import { describe, expect, it } from 'vitest';
import type { BackendReport } from '../../shared/backends';
import type { WebgpuAdapterFinding, WebgpuProbe } from '../../shared/doctor';
import { formatDoctorReport } from './doctor-format';
import { probeCuda } from './doctor-probe';
import type { DoctorFacts } from './doctor-report';
import { buildDoctorReport, CUDA_PLATFORM_FIXES } from './doctor-report';
import { addAdapter, ELECTRON_WEBGPU_FIX } from './doctor-webgpu';
import { HARDWARE_ADAPTER_FIX, HARDWARE_FAILED_FIX } from '../../shared/webgpu-fixes';
import { adapterFacts, describeAdapter } from './webgpu/adapter';

/** GPUAdapterInfo as Dawn reports it on each kind of machine (llvmpipe measured on this project's CI). */
const ADAPTERS = {
  nvidia: { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H200', isFallbackAdapter: false },
  amd: { vendor: 'amd', architecture: 'rdna-3', device: '', description: 'AMD Radeon RX 7600 (RADV NAVI33)', isFallbackAdapter: false },
  apple: { vendor: 'apple', architecture: 'metal-3', device: '', description: 'Apple M2', isFallbackAdapter: false },
  llvmpipe: {
    vendor: 'mesa',
    architecture: 'software',
    device: 'llvmpipe-llvm-15-0-6-256-bits-',
    description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1',
    isFallbackAdapter: true,
  },
  swiftshader: { vendor: 'google', architecture: '', device: '', description: 'SwiftShader Device (Subzero)', isFallbackAdapter: false },
  fallbackIntel: { vendor: 'intel', architecture: 'gen-12lp', device: '', description: 'Intel(R) UHD Graphics 770', isFallbackAdapter: true },
} as const;

function probeOf(...infos: Record<string, unknown>[]): WebgpuProbe {
  const adapters: WebgpuAdapterFinding[] = [];
  for (const info of infos) addAdapter(adapters, adapterFacts(info), 'high-performance');
  return { adapters, error: null, vulkanDrivers: ['lvp_icd.json'] };
}

const NO_CUDA = probeCuda({ ldconfigListing: null, ldLibraryPath: '', exists: () => false, nvidiaProcVersion: null, nvidiaSmiRuns: false });
const NOT_INSTALLED = (pkg: string) => ({ ok: false as const, reason: `not installed (npm package ${pkg})` });
const WASM = 'CPU (WebAssembly, XNNPACK, single thread)';
const CPU = 'CPU (pure JavaScript, single thread)';

/** The facts of a machine whose webgpu adapter is `info`: auto takes it when hardware, else skips it for wasm. */
function machine(info: Record<string, unknown>, os = 'linux'): DoctorFacts {
  const webgpu = probeOf(info);
  const adapter = webgpu.adapters[0]!;
  const device = describeAdapter(adapter);
  const gpuSkip = { name: 'tfjs-node-gpu' as const, reason: NOT_INSTALLED('@tensorflow/tfjs-node-gpu').reason };
  const auto: BackendReport = adapter.software
    ? {
        name: 'wasm',
        device: WASM,
        skipped: [
          gpuSkip,
          { name: 'webgpu', reason: `only a software adapter (${adapter.vendor} …): slower than wasm` },
          { name: 'tfjs-node', reason: NOT_INSTALLED('@tensorflow/tfjs-node').reason },
        ],
      }
    : { name: 'webgpu', device, skipped: [gpuSkip] };
  return {
    auto,
    forced: {
      'tfjs-node-gpu': NOT_INSTALLED('@tensorflow/tfjs-node-gpu'),
      ...(adapter.software ? { webgpu: { ok: true, device } } : {}),
      'tfjs-node': NOT_INSTALLED('@tensorflow/tfjs-node'),
      ...(adapter.software ? { cpu: { ok: true, device: CPU } } : { wasm: { ok: true, device: WASM }, cpu: { ok: true, device: CPU } }),
    },
    webgpu,
    cuda: NO_CUDA,
    platform: { os, arch: 'x64', runtime: 'node' },
    versions: { node: '20.20.2', tfjs: '4.22.0', tfjsNodeGpu: null, tfjsBackendWebgpu: '4.22.0', webgpu: '0.6.2', electron: null },
  };
}

describe('buildDoctorReport on known adapters', () => {
  it.each([
    ['NVIDIA (Linux, Vulkan)', ADAPTERS.nvidia, 'linux'],
    ['AMD (Linux, Vulkan)', ADAPTERS.amd, 'linux'],
    ['Apple (macOS, Metal)', ADAPTERS.apple, 'darwin'],
  ])('a hardware adapter, %s: webgpu works on the GPU, auto picks it, exit-0 verdict', (_label, info, os) => {
    const report = buildDoctorReport(machine(info, os));
    const webgpu = report.backends.find((verdict) => verdict.name === 'webgpu')!;
    expect(report.auto).toBe('webgpu');
    expect(report.gpuWorks).toBe(true);
    expect(webgpu).toEqual({ name: 'webgpu', works: true, device: 'gpu', detail: describeAdapter(adapterFacts(info)), autoSkips: null, fixes: [] });
    expect(report.summary).toBe(`A GPU backend works: webgpu on ${describeAdapter(adapterFacts(info))}; auto picks webgpu.`);
  });

  it('pins the NVIDIA text report', () => {
    const text = formatDoctorReport(buildDoctorReport(machine(ADAPTERS.nvidia)));
    expect(text).toContain('  webgpu        works — GPU (WebGPU: nvidia hopper, NVIDIA H200; hardware adapter)\n  tfjs-node     does not load');
    expect(text).toContain('WebGPU adapters (Dawn: npm webgpu 0.6.2, tfjs-backend-webgpu 4.22.0):\n  nvidia hopper · NVIDIA H200 — hardware (high-performance)\n  Vulkan drivers: lvp_icd.json');
    expect(text.startsWith('Trains here: webgpu.\nA GPU backend works: webgpu on GPU (WebGPU: nvidia hopper, NVIDIA H200; hardware adapter); auto picks webgpu.\n\n')).toBe(true);
  });

  it('llvmpipe: webgpu works on a software adapter, auto skips it, no GPU backend counts (exit 3)', () => {
    const facts = machine(ADAPTERS.llvmpipe);
    const report = buildDoctorReport(facts);
    const webgpu = report.backends.find((verdict) => verdict.name === 'webgpu')!;
    expect(report.auto).toBe('wasm');
    expect(report.gpuWorks).toBe(false);
    expect(webgpu).toEqual({
      name: 'webgpu',
      works: true,
      device: 'software-gpu',
      detail: 'GPU (WebGPU: mesa software, llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1; software adapter)',
      autoSkips: 'only a software adapter (mesa …): slower than wasm',
      fixes: [HARDWARE_ADAPTER_FIX.linux],
    });
    expect(report.summary).toBe(
      'No GPU backend works on a hardware GPU: webgpu works only on a software adapter (the CPU emulating a GPU), so auto trains on wasm — CPU (WebAssembly, XNNPACK, single thread).',
    );
    const text = formatDoctorReport(report);
    expect(text).toContain(
      '  webgpu        works (software adapter) — auto skips it: only a software adapter (mesa …): slower than wasm\n' +
        '                to use it anyway: gan-studio train --backend webgpu\n' +
        `                fix: ${HARDWARE_ADAPTER_FIX.linux}\n`,
    );
    expect(text).toContain('  mesa software · llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1 — software, fallback adapter (high-performance)');
    expect(text).not.toContain('does not load — only a software adapter');
    expect(text).not.toContain('planned');
  });

  it.each([
    ['SwiftShader on Windows', ADAPTERS.swiftshader, 'win32'],
    ['an isFallbackAdapter Intel GPU on Linux', ADAPTERS.fallbackIntel, 'linux'],
  ])('%s counts as software: exit 3, and the platform fix for a hardware adapter', (_label, info, os) => {
    const report = buildDoctorReport(machine(info, os));
    const webgpu = report.backends.find((verdict) => verdict.name === 'webgpu')!;
    expect(report.gpuWorks).toBe(false);
    expect(webgpu.device).toBe('software-gpu');
    expect(webgpu.fixes).toEqual([HARDWARE_ADAPTER_FIX[os]]);
  });

  it('a hardware adapter whose backend fails (e.g. no readback) does not count, and says to update the driver', () => {
    const facts = machine(ADAPTERS.amd);
    const failedFacts: DoctorFacts = {
      ...facts,
      auto: { name: 'wasm', device: WASM, skipped: [{ name: 'webgpu', reason: 'reading GPU memory back failed: device lost' }] },
      forced: { ...facts.forced, webgpu: { ok: false, reason: 'reading GPU memory back failed: device lost' } },
    };
    const failed = buildDoctorReport(failedFacts);
    const webgpu = failed.backends.find((verdict) => verdict.name === 'webgpu')!;
    expect(failed.gpuWorks).toBe(false);
    expect(webgpu).toMatchObject({ works: false, device: null, detail: 'reading GPU memory back failed: device lost', autoSkips: null });
    expect(webgpu.fixes).toEqual([HARDWARE_FAILED_FIX]);
    // Inside the desktop app the same failure is Electron's, not the driver's.
    const inElectron = buildDoctorReport({ ...failedFacts, platform: { ...facts.platform, runtime: 'electron' } });
    expect(inElectron.backends.find((verdict) => verdict.name === 'webgpu')!.fixes).toEqual([ELECTRON_WEBGPU_FIX]);
    expect(failed.summary).toBe('No GPU backend works: auto trains on wasm — CPU (WebAssembly, XNNPACK, single thread).');
  });

  it('tfjs-node-gpu counts only on a CUDA device, not when libtensorflow fell back to the CPU', () => {
    const facts = machine(ADAPTERS.llvmpipe);
    const onCpu = buildDoctorReport({ ...facts, forced: { ...facts.forced, 'tfjs-node-gpu': { ok: true, device: 'CPU (libtensorflow, 8 cores); no CUDA device visible' } } });
    expect(onCpu.backends[0]).toMatchObject({ name: 'tfjs-node-gpu', works: true, device: 'cpu' });
    expect(onCpu.backends[0]!.fixes).toEqual(NO_CUDA.fixes);
    expect(onCpu.gpuWorks).toBe(false);
    const onGpu = buildDoctorReport({ ...facts, forced: { ...facts.forced, 'tfjs-node-gpu': { ok: true, device: 'GPU (CUDA, libtensorflow)' } } });
    expect(onGpu.backends[0]).toMatchObject({ works: true, device: 'gpu', fixes: [] });
    expect(onGpu.gpuWorks).toBe(true);
    expect(onGpu.summary).toBe('A GPU backend works: tfjs-node-gpu on GPU (CUDA, libtensorflow); auto picks wasm.');
  });

  it('off Linux the CUDA sonames are not looked up, and tfjs-node-gpu gets the platform\'s own fix', () => {
    const mac = buildDoctorReport({ ...machine(ADAPTERS.apple, 'darwin'), cuda: null });
    expect(mac.backends[0]!.fixes).toEqual(['tfjs-node-gpu needs CUDA, which macOS does not have: on a Mac the GPU path is webgpu (Metal)']);
    expect(formatDoctorReport(mac)).toContain('CUDA 11.2 / cuDNN 8.1 for tfjs-node-gpu:\n  not looked up on this platform (the sonames are Linux ones)\n');
    const windows = buildDoctorReport({ ...machine(ADAPTERS.swiftshader, 'win32'), cuda: null });
    expect(windows.backends[0]!.fixes).toEqual([CUDA_PLATFORM_FIXES.win32]);
    expect(CUDA_PLATFORM_FIXES.win32).toMatch(/cudart64_110\.dll and cudnn64_8\.dll/);
  });

  it('lists the backends in auto order with the install fixes, and a stable report version', () => {
    const report = buildDoctorReport(machine(ADAPTERS.llvmpipe));
    expect(report.version).toBe(2);
    expect(report.backends.map((verdict) => [verdict.name, verdict.works, verdict.device])).toEqual([
      ['tfjs-node-gpu', false, null],
      ['webgpu', true, 'software-gpu'],
      ['tfjs-node', false, null],
      ['wasm', true, 'cpu'],
      ['cpu', true, 'cpu'],
    ]);
    expect(report.backends[2]!.fixes).toEqual(['npm install @tensorflow/tfjs-node (a native CPU build; needs a prebuilt libtensorflow for this platform)']);
    expect(report.backends[3]!.fixes).toEqual([]);
  });
});
