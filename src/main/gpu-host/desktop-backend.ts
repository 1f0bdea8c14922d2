/**
 * What `auto` trains on in the desktop app. The trainer process (a utility
 * process) answers for tfjs-node-gpu, tfjs-node, wasm and cpu, but its webgpu
 * is Dawn, which cannot read back inside Electron; the GPU window answers for
 * webgpu on Chromium's own WebGPU. The chain stays the same:
 * tfjs-node-gpu → webgpu (a hardware adapter only) → tfjs-node → wasm → cpu.
 */
import type { BackendReport } from '../../shared/backends';
import type { GpuWindowFinding } from '../../shared/gpu-window';
import { adapterName } from '../backend/webgpu/adapter';

/** Why auto does not train in the GPU window; undefined when it does. */
export function gpuWindowSkipReason(window: GpuWindowFinding): string | undefined {
  if (window.adapter?.software) {
    return `only a software adapter in the app's GPU window (${adapterName(window.adapter)}): slower than wasm; choose webgpu as the backend to use it anyway`;
  }
  if (window.report === null) return `the app's GPU window (Chromium's WebGPU): ${window.error ?? 'it did not answer'}`;
  return undefined;
}

export function desktopBackendReport(trainerProcess: BackendReport, window: GpuWindowFinding): BackendReport {
  if (trainerProcess.name === 'tfjs-node-gpu') return trainerProcess;
  const before = trainerProcess.skipped.filter((skip) => skip.name === 'tfjs-node-gpu');
  const reason = gpuWindowSkipReason(window);
  if (reason === undefined && window.report) return { name: 'webgpu', device: window.report.device, skipped: before };
  const skipped = trainerProcess.skipped.map((skip) => (skip.name === 'webgpu' ? { name: skip.name, reason: reason ?? skip.reason } : skip));
  return { ...trainerProcess, skipped };
}

/**
 * The desktop app's report, asked once and shared by New run and the
 * router's auto choice (again after a failure): the trainer process and the
 * GPU window are asked side by side.
 */
export function desktopBackendProbe(trainerProcess: () => Promise<BackendReport>, askWindow: () => Promise<GpuWindowFinding>): () => Promise<BackendReport> {
  let asked: Promise<BackendReport> | undefined;
  return () => {
    if (asked) return asked;
    const answer = Promise.all([trainerProcess(), askWindow()]).then(([report, window]) => desktopBackendReport(report, window));
    asked = answer;
    answer.catch(() => (asked = undefined));
    return answer;
  };
}
