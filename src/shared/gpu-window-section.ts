/**
 * The doctor report's GPU window section (desktop app only), as both the CLI
 * text and the Backends view show it: the adapter Chromium offers there, and
 * webgpu in the window as one more verdict — trains on a hardware adapter,
 * works only on a software one (auto skips it), or why not, with the same
 * fix wording as the Dawn verdict (webgpu-fixes.ts).
 */
import type { BackendVerdict, DoctorReport } from './doctor';
import { adapterLabel } from './doctor';
import type { GpuWindowFinding } from './gpu-window';
import { CHROMIUM_NO_ADAPTER, CHROMIUM_NO_WEBGPU } from './gpu-window';
import { HARDWARE_FAILED_FIX, hardwareAdapterFix } from './webgpu-fixes';

/** Why auto passes over a software adapter in the window. */
export const GPU_WINDOW_SOFTWARE_SKIP = 'only a software adapter: slower than wasm';

/** How to train in the window on a software adapter anyway (the desktop app has no --backend flag). */
export const GPU_WINDOW_SOFTWARE_FIX = 'to train in the GPU window anyway, choose webgpu as the Backend in New run';

/** The section's fields; `verdict` reads like a row of the backend verdicts. */
export interface GpuWindowSection {
  /** "apple metal-3 · Apple M2 — hardware"; "none" when Chromium offers none; "not known" when the window never answered. */
  adapter: string;
  verdict: BackendVerdict;
  /** auto trains in the window: a hardware adapter passed the smoke op and tfjs-node-gpu is not ahead of it. */
  autoTrainsHere: boolean;
}

/** Whether the window itself answered (an adapter, or Chromium's own "no adapter"), rather than failing to load. */
function answered(finding: GpuWindowFinding): boolean {
  return finding.adapter !== null || finding.error === CHROMIUM_NO_ADAPTER || finding.error === CHROMIUM_NO_WEBGPU;
}

/** webgpu in the window as a verdict on `os` (Node's process.platform): device, or why not, and the fixes. */
export function gpuWindowVerdict(finding: GpuWindowFinding, os: string): BackendVerdict {
  const { adapter, report } = finding;
  if (adapter !== null && report !== null) {
    return adapter.software
      ? { name: 'webgpu', works: true, device: 'software-gpu', detail: report.device, autoSkips: GPU_WINDOW_SOFTWARE_SKIP, fixes: [GPU_WINDOW_SOFTWARE_FIX, hardwareAdapterFix(os)] }
      : { name: 'webgpu', works: true, device: 'gpu', detail: report.device, autoSkips: null, fixes: [] };
  }
  // A window that never answered says nothing about the GPU driver: its error is all there is.
  const fixes = adapter === null ? (answered(finding) ? [hardwareAdapterFix(os)] : []) : adapter.software ? [hardwareAdapterFix(os)] : [HARDWARE_FAILED_FIX];
  return { name: 'webgpu', works: false, device: null, detail: finding.error ?? 'the GPU window did not answer', autoSkips: null, fixes };
}

/** The GPU window section of `report`; null outside the desktop app, where there is no window. */
export function gpuWindowSection(report: DoctorReport): GpuWindowSection | null {
  const finding = report.gpuWindow;
  if (finding === undefined) return null;
  const verdict = gpuWindowVerdict(finding, report.platform.os);
  const adapter = finding.adapter ? adapterLabel(finding.adapter) : answered(finding) ? 'none' : 'not known (the window did not answer)';
  return { adapter, verdict, autoTrainsHere: verdict.device === 'gpu' && report.auto === 'webgpu' };
}
