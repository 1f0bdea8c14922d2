import { describe, expect, it } from 'vitest';
import type { BackendReport } from '../../shared/backends';
import type { DoctorReport, WebgpuAdapterFinding } from '../../shared/doctor';
import type { GpuWindowAdapter, GpuWindowFinding } from '../../shared/gpu-window';
import { CHROMIUM_NO_ADAPTER } from '../../shared/gpu-window';
import { GPU_WINDOW_SOFTWARE_FIX, GPU_WINDOW_SOFTWARE_SKIP, gpuWindowSection } from '../../shared/gpu-window-section';
import { HARDWARE_ADAPTER_FIX, HARDWARE_FAILED_FIX } from '../../shared/webgpu-fixes';
import { formatDoctorReport } from '../backend/doctor-format';
import { probeCuda } from '../backend/doctor-probe';
import { buildDoctorReport } from '../backend/doctor-report';
import { addAdapter } from '../backend/doctor-webgpu';
import { adapterFacts, describeAdapter, isSoftwareAdapter } from '../backend/webgpu/adapter';
import { diagnoseDesktopBackends, withGpuWindow } from './desktop-doctor';

const DAWN_SKIP = "Dawn's Node binding cannot read GPU memory back inside Electron";
const WASM = 'CPU (WebAssembly, XNNPACK, 8 threads)';
const NOT_INSTALLED = (pkg: string) => ({ ok: false as const, reason: `not installed (npm package ${pkg})` });

/** GPUAdapterInfo as Chromium reports it (SwiftShader: Debian's Chromium on this project's CI). */
const APPLE = { vendor: 'apple', architecture: 'metal-3', description: 'Apple M2' };
const SWIFTSHADER = { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)' };

function windowAdapter(info: Record<string, unknown>): GpuWindowAdapter {
  const facts = adapterFacts(info);
  return { ...facts, software: isSoftwareAdapter(facts) };
}

/** The window's finding once the smoke op passed on `info`, as probe.ts sends it. */
function trainsOn(info: Record<string, unknown>): GpuWindowFinding {
  const adapter = windowAdapter(info);
  return { adapter, report: { name: 'webgpu', device: `${describeAdapter(adapter)} in the app's Chromium`, skipped: [] }, error: null };
}

/** The trainer process's report in the desktop app on `os`: Dawn sees `dawn` but cannot read back, so auto trains on wasm. */
function trainerReport(dawn: Record<string, unknown>, os = 'darwin', tfjsNodeGpu?: string): DoctorReport {
  const adapters: WebgpuAdapterFinding[] = [];
  addAdapter(adapters, adapterFacts(dawn), 'high-performance');
  const auto: BackendReport = tfjsNodeGpu
    ? { name: 'tfjs-node-gpu', device: tfjsNodeGpu, skipped: [] }
    : {
        name: 'wasm',
        device: WASM,
        skipped: [
          { name: 'tfjs-node-gpu', reason: NOT_INSTALLED('@tensorflow/tfjs-node-gpu').reason },
          { name: 'webgpu', reason: DAWN_SKIP },
          { name: 'tfjs-node', reason: NOT_INSTALLED('@tensorflow/tfjs-node').reason },
        ],
      };
  return buildDoctorReport({
    auto,
    forced: {
      ...(tfjsNodeGpu ? { wasm: { ok: true, device: WASM } } : { 'tfjs-node-gpu': NOT_INSTALLED('@tensorflow/tfjs-node-gpu') }),
      webgpu: { ok: false, reason: DAWN_SKIP },
      'tfjs-node': NOT_INSTALLED('@tensorflow/tfjs-node'),
      cpu: { ok: true, device: 'CPU (pure JavaScript, single thread)' },
    },
    webgpu: { adapters, error: null, vulkanDrivers: os === 'linux' ? ['lvp_icd.json'] : null },
    cuda: os === 'linux' ? probeCuda({ ldconfigListing: null, ldLibraryPath: '', exists: () => false, nvidiaProcVersion: null, nvidiaSmiRuns: false }) : null,
    platform: { os, arch: 'arm64', runtime: 'electron' },
    versions: { node: '22.20.0', tfjs: '4.22.0', tfjsNodeGpu: tfjsNodeGpu ? '4.22.0' : null, tfjsBackendWebgpu: '4.22.0', webgpu: '0.6.2', electron: '38.2.0' },
  });
}

describe('withGpuWindow: the desktop app\'s doctor report', () => {
  it('a hardware adapter that passed the smoke op: auto picks webgpu in the window, a GPU works, the summary says where', () => {
    const trainer = trainerReport(APPLE);
    expect([trainer.auto, trainer.gpuWorks]).toEqual(['wasm', false]);
    const finding = trainsOn(APPLE);
    const report = withGpuWindow(trainer, finding);
    expect(report.auto).toBe('webgpu');
    expect(report.gpuWorks).toBe(true);
    expect(report.summary).toBe("A GPU backend works: webgpu on GPU (WebGPU: apple metal-3, Apple M2; hardware adapter) in the app's Chromium; auto picks webgpu.");
    expect(report.gpuWindow).toBe(finding);
    // Dawn's verdict is what the trainer process saw; the window is its own section.
    expect(report.backends).toEqual(trainer.backends);
    expect(report.version).toBe(2);
    expect(gpuWindowSection(report)).toEqual({
      adapter: 'apple metal-3 · Apple M2 — hardware',
      verdict: { name: 'webgpu', works: true, device: 'gpu', detail: finding.report!.device, autoSkips: null, fixes: [] },
      autoTrainsHere: true,
    });
    const text = formatDoctorReport(report);
    expect(text).toContain(
      "\n\nGPU window (Chromium's WebGPU, desktop app):\n" +
        '  adapter       apple metal-3 · Apple M2 — hardware\n' +
        "  webgpu        works — GPU (WebGPU: apple metal-3, Apple M2; hardware adapter) in the app's Chromium\n" +
        '                auto trains here\n\nCUDA',
    );
    expect(text).toMatch(/^Trains here: webgpu in the GPU window\.\nA GPU backend works: webgpu on/);
    // The speed the trainer process measured (on wasm) says nothing about the window: it is left out.
    const speed = { preset: 'quick' as const, batchSize: 64, imagesPerSecond: 300 };
    expect(withGpuWindow({ ...trainer, speed }, finding).speed).toBeUndefined();
  });

  it('a software adapter (SwiftShader): auto and the summary stay on wasm, the section says auto skips it and how to train there anyway', () => {
    const trainer = trainerReport(SWIFTSHADER, 'linux');
    const report = withGpuWindow(trainer, trainsOn(SWIFTSHADER));
    expect(report.auto).toBe('wasm');
    expect(report.gpuWorks).toBe(false);
    expect(report.summary).toBe(`No GPU backend works on a hardware GPU: webgpu works only on a software adapter (the CPU emulating a GPU), so auto trains on wasm — ${WASM}.`);
    const section = gpuWindowSection(report)!;
    expect(section.adapter).toBe('google swiftshader · SwiftShader Device (Subzero) — software');
    expect(section.autoTrainsHere).toBe(false);
    expect(section.verdict).toMatchObject({ works: true, device: 'software-gpu', autoSkips: GPU_WINDOW_SOFTWARE_SKIP, fixes: [GPU_WINDOW_SOFTWARE_FIX, HARDWARE_ADAPTER_FIX.linux] });
    const text = formatDoctorReport(report);
    expect(text).toContain(
      '  webgpu        works (software adapter) — auto skips it: only a software adapter: slower than wasm\n' +
        '                fix: to train in the GPU window anyway, choose webgpu as the Backend in New run\n' +
        `                fix: ${HARDWARE_ADAPTER_FIX.linux}\n`,
    );
    expect(text).toMatch(/^Trains here: wasm\.\n/);
    const speed = { preset: 'quick' as const, batchSize: 64, imagesPerSecond: 300 };
    expect(withGpuWindow({ ...trainer, speed }, trainsOn(SWIFTSHADER)).speed).toEqual(speed);
  });

  it("no adapter in Chromium: the platform's driver fix, the summary unchanged", () => {
    const trainer = trainerReport(APPLE, 'win32');
    const report = withGpuWindow(trainer, { adapter: null, report: null, error: CHROMIUM_NO_ADAPTER });
    expect([report.auto, report.gpuWorks, report.summary]).toEqual([trainer.auto, false, trainer.summary]);
    expect(gpuWindowSection(report)).toEqual({
      adapter: 'none',
      verdict: { name: 'webgpu', works: false, device: null, detail: CHROMIUM_NO_ADAPTER, autoSkips: null, fixes: [HARDWARE_ADAPTER_FIX.win32] },
      autoTrainsHere: false,
    });
    expect(formatDoctorReport(report)).toContain(`  adapter       none\n  webgpu        does not load — ${CHROMIUM_NO_ADAPTER}\n                fix: ${HARDWARE_ADAPTER_FIX.win32}\n`);
  });

  it('a window that did not load: only its error, no driver advice (nothing is known about the GPU)', () => {
    const trainer = trainerReport(APPLE);
    const error = 'the GPU window did not load: ERR_FILE_NOT_FOUND (-6) loading gpu-host.html';
    const report = withGpuWindow(trainer, { adapter: null, report: null, error });
    expect([report.auto, report.gpuWorks, report.summary]).toEqual([trainer.auto, false, trainer.summary]);
    const section = gpuWindowSection(report)!;
    expect(section.adapter).toBe('not known (the window did not answer)');
    expect(section.verdict).toMatchObject({ works: false, detail: error, fixes: [] });
  });

  it('a hardware adapter whose smoke op failed: the driver update, auto unchanged', () => {
    const report = withGpuWindow(trainerReport(APPLE), { adapter: windowAdapter(APPLE), report: null, error: 'the gradient smoke op failed: device lost' });
    expect([report.auto, report.gpuWorks]).toEqual(['wasm', false]);
    expect(gpuWindowSection(report)!.verdict).toMatchObject({ works: false, detail: 'the gradient smoke op failed: device lost', fixes: [HARDWARE_FAILED_FIX] });
  });

  it('tfjs-node-gpu on CUDA stays auto\'s pick ahead of a hardware window; both count, the summary names tfjs-node-gpu', () => {
    const trainer = trainerReport(APPLE, 'linux', 'GPU (CUDA, libtensorflow)');
    const report = withGpuWindow(trainer, trainsOn(APPLE));
    expect(report.auto).toBe('tfjs-node-gpu');
    expect(report.gpuWorks).toBe(true);
    expect(report.summary).toBe('A GPU backend works: tfjs-node-gpu on GPU (CUDA, libtensorflow); auto picks tfjs-node-gpu.');
    expect(gpuWindowSection(report)).toMatchObject({ autoTrainsHere: false, verdict: { works: true, device: 'gpu' } });
    expect(formatDoctorReport(report)).not.toContain('auto trains here');
  });
});

describe('diagnoseDesktopBackends', () => {
  it('asks the window while the trainer process diagnoses, and joins the two', async () => {
    let finishDiagnosis: (report: DoctorReport) => void = () => undefined;
    let asked = false;
    const joined = diagnoseDesktopBackends(
      () => new Promise((resolve) => (finishDiagnosis = resolve)),
      () => {
        asked = true;
        return Promise.resolve(trainsOn(APPLE));
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(asked).toBe(true);
    finishDiagnosis(trainerReport(APPLE));
    expect((await joined).auto).toBe('webgpu');
  });

  it("a window that cannot even be opened is a finding; the trainer process's report still comes back", async () => {
    const report = await diagnoseDesktopBackends(
      () => Promise.resolve(trainerReport(APPLE)),
      () => {
        throw new Error('the GPU host preload is missing');
      },
    );
    expect(report.gpuWindow).toEqual({ adapter: null, report: null, error: 'the GPU window did not open: the GPU host preload is missing' });
    expect(report.auto).toBe('wasm');
  });

  it("the trainer process's failure is the call's failure", async () => {
    await expect(diagnoseDesktopBackends(() => Promise.reject(new Error('the probe process exited (code 1) without a report')), () => Promise.resolve(trainsOn(APPLE)))).rejects.toThrow(
      'without a report',
    );
  });
});
