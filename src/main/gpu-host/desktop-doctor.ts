/**
 * The doctor in the desktop app: the trainer process's report (whose webgpu
 * is Dawn, which cannot read back inside Electron) joined with what the GPU
 * window found. The window stands where Dawn stood in auto's chain
 * (desktopBackendReport), so auto, gpuWorks and the summary are recomputed
 * with it; the Dawn verdict stays as the trainer process saw it.
 */
import type { DoctorReport } from '../../shared/doctor';
import type { GpuWindowFinding } from '../../shared/gpu-window';
import { gpuWindowVerdict } from '../../shared/gpu-window-section';
import { doctorVerdict } from '../backend/doctor-report';
import { desktopBackendReport } from './desktop-backend';

/** `report` with the GPU window's finding attached and auto's pick, gpuWorks and summary as the desktop app sees them. */
export function withGpuWindow(report: DoctorReport, window: GpuWindowFinding): DoctorReport {
  const trainerAuto = { name: report.auto, device: report.backends.find((verdict) => verdict.name === report.auto)?.detail ?? '', skipped: [] };
  const auto = desktopBackendReport(trainerAuto, window);
  const inWindow = gpuWindowVerdict(window, report.platform.os);
  const chain = report.backends.flatMap((verdict) => (verdict.name === 'webgpu' ? [inWindow, verdict] : [verdict]));
  const verdict = doctorVerdict(chain, auto);
  // The speed was measured in the trainer process; when auto trains in the window instead, it says nothing.
  const { speed, ...rest } = report;
  return { ...rest, ...verdict, ...(speed && verdict.auto === report.auto ? { speed } : {}), gpuWindow: window };
}

/**
 * Diagnoses the trainer process and asks the GPU window at once, then joins them. A window that
 * cannot even be opened is a finding too: the trainer process's report must still come back.
 */
export async function diagnoseDesktopBackends(diagnose: () => Promise<DoctorReport>, askWindow: () => Promise<GpuWindowFinding>): Promise<DoctorReport> {
  const window = Promise.resolve()
    .then(askWindow)
    .catch((error: unknown): GpuWindowFinding => ({ adapter: null, report: null, error: `the GPU window did not open: ${error instanceof Error ? error.message : String(error)}` }));
  const [report, finding] = await Promise.all([diagnose(), window]);
  return withGpuWindow(report, finding);
}
