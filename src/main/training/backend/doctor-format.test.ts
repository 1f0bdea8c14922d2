import { describe, expect, it } from 'vitest';
import type { DoctorReport } from './doctor';
import { formatDoctorReport } from './doctor-format';
import { probeCuda } from './doctor-probe';

const report: DoctorReport = {
  auto: 'wasm',
  gpuWorks: false,
  backends: [
    { name: 'tfjs-node-gpu', works: false, detail: 'dlopen failed:\n\u001b[2Kfake line', fixes: ['install cuDNN 8.1'] },
    { name: 'tfjs-node', works: false, detail: 'not installed', fixes: [] },
    { name: 'wasm', works: true, detail: 'CPU (WebAssembly)', fixes: [] },
    { name: 'cpu', works: true, detail: 'CPU (pure JavaScript)', fixes: [] },
  ],
  planned: [{ name: 'webgpu', detail: 'not built into this version yet; see docs/backends.md' }],
  cuda: probeCuda({ ldconfigListing: null, ldLibraryPath: '', exists: () => false, nvidiaProcVersion: null, nvidiaSmiRuns: false }),
  versions: { node: '20.0.0', tfjs: '4.22.0', tfjsNodeGpu: null, electron: '45.5.0' },
};

describe('formatDoctorReport', () => {
  it('prints one verdict line per backend, the fix, auto, and escapes control characters', () => {
    const text = formatDoctorReport(report);
    expect(text).toContain('  tfjs-node-gpu does not load — dlopen failed:\\n\\x1b[2Kfake line');
    expect(text).toContain('                fix: install cuDNN 8.1');
    expect(text).toContain('  wasm          works — CPU (WebAssembly)');
    expect(text).toContain('  missing libcudnn.so.8 (cuDNN 8.1)');
    expect(text).toContain('Versions: Node 20.0.0, tfjs 4.22.0, tfjs-node-gpu not installed, Electron 45.5.0');
    expect(text).toContain('auto picks: wasm');
    expect(text).not.toContain('\u001b');
  });
});
