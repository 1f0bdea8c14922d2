/** The doctor report as terminal lines; every outside string goes through printable(). */
import { printable } from '../../shared/printable';
import type { BackendVerdict, DoctorReport, WebgpuAdapterFinding } from '../../shared/doctor';
import { adapterLabel, describeSpeed, verdictState } from '../../shared/doctor';
import type { GpuWindowSection } from '../../shared/gpu-window-section';
import { gpuWindowSection } from '../../shared/gpu-window-section';
import { formatCudaProbe } from './doctor-probe';

const INDENT = `  ${''.padEnd(14)}`;

/** "works", "works (software adapter)" or "does not load", then the detail or auto's reason to pass it over. */
export function verdictLine(verdict: BackendVerdict): string {
  const detail = verdict.autoSkips !== null ? `auto skips it: ${verdict.autoSkips}` : verdict.detail;
  return `${verdictState(verdict)} — ${printable(detail)}`;
}

/** "nvidia hopper · NVIDIA H200 — hardware (high-performance)". */
export function adapterLine(adapter: WebgpuAdapterFinding): string {
  return printable(`${adapterLabel(adapter)} (${adapter.powerPreferences.join(', ')})`);
}

function webgpuLines(report: DoctorReport): string[] {
  const probe = report.webgpu;
  const versions = `npm webgpu ${report.versions.webgpu ?? 'not installed'}, tfjs-backend-webgpu ${report.versions.tfjsBackendWebgpu ?? 'not installed'}`;
  const lines = [`WebGPU adapters (Dawn: ${printable(versions)}):`];
  if (probe.error !== null) lines.push(`  none: ${printable(probe.error)}`);
  else if (probe.adapters.length === 0) lines.push('  none: Dawn found no GPU driver it can use');
  for (const adapter of probe.adapters) lines.push(`  ${adapterLine(adapter)}`);
  if (probe.vulkanDrivers !== null) {
    lines.push(`  Vulkan drivers: ${probe.vulkanDrivers.length > 0 ? printable(probe.vulkanDrivers.join(', ')) : 'none installed'}`);
  }
  return lines;
}

/** The desktop app's GPU window, when the report has one: its adapter and webgpu there as a verdict. */
function gpuWindowLines(section: GpuWindowSection | null): string[] {
  if (section === null) return [];
  const lines = ['', "GPU window (Chromium's WebGPU, desktop app):", `  ${'adapter'.padEnd(14)}${printable(section.adapter)}`];
  lines.push(`  ${'webgpu'.padEnd(14)}${verdictLine(section.verdict)}`);
  if (section.autoTrainsHere) lines.push(`${INDENT}auto trains here`);
  for (const fix of section.verdict.fixes) lines.push(`${INDENT}fix: ${printable(fix)}`);
  return lines;
}

/** The first lines: what trains here and how fast, then why (the summary). */
function leadLines(report: DoctorReport, gpuWindow: GpuWindowSection | null): string[] {
  const where = gpuWindow?.autoTrainsHere ? `${report.auto} in the GPU window` : report.auto;
  const speed = report.speed ? `, ${describeSpeed(report.speed)}` : '';
  return [`Trains here: ${where}${speed}.`, printable(report.summary)];
}

/** Human-readable report, one fact per line: what trains here and how fast first, then every backend, then the probes. */
export function formatDoctorReport(report: DoctorReport): string {
  const gpuWindow = gpuWindowSection(report);
  const lines: string[] = [...leadLines(report, gpuWindow), '', 'Backends (tried in this order by auto):'];
  for (const verdict of report.backends) {
    lines.push(`  ${verdict.name.padEnd(14)}${verdictLine(verdict)}`);
    // auto passes it over although it works: how to ask for it by name (the studio says it its own way).
    if (verdict.autoSkips !== null) lines.push(`${INDENT}to use it anyway: gan-studio train --backend ${verdict.name}`);
    for (const fix of verdict.fixes) lines.push(`${INDENT}fix: ${printable(fix)}`);
  }
  lines.push('', ...webgpuLines(report));
  lines.push(...gpuWindowLines(gpuWindow));
  // Without an NVIDIA GPU the sonames do not matter: tfjs-node-gpu's line says so, once.
  if (report.cuda?.nvidiaGpu !== false) {
    lines.push('', 'CUDA 11.2 / cuDNN 8.1 for tfjs-node-gpu:');
    if (report.cuda === null) lines.push('  not looked up on this platform (the sonames are Linux ones)');
    else for (const line of formatCudaProbe(report.cuda)) lines.push(`  ${printable(line)}`);
  }
  const v = report.versions;
  const installed = (version: string | null): string => printable(version ?? 'not installed');
  lines.push(
    '',
    `Versions: Node ${printable(v.node)}, tfjs ${printable(v.tfjs)}, tfjs-node-gpu ${installed(v.tfjsNodeGpu)}, ` +
      `tfjs-backend-webgpu ${installed(v.tfjsBackendWebgpu)}, webgpu ${installed(v.webgpu)}, Electron ${installed(v.electron)}`,
    `Platform: ${printable(`${report.platform.os} ${report.platform.arch}`)}, diagnosed in ${report.platform.runtime === 'electron' ? "the desktop app's Electron" : 'plain Node'}`,
  );
  return lines.join('\n');
}
