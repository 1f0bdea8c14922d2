/** The doctor report as terminal lines; every outside string goes through printable(). */
import { printable } from '../../../shared/printable';
import type { DoctorReport } from './doctor';
import { formatCudaProbe } from './doctor-probe';

/** Human-readable report, one fact per line. */
export function formatDoctorReport(report: DoctorReport): string {
  const lines: string[] = ['Backends (tried in this order by auto):'];
  for (const verdict of report.backends) {
    lines.push(`  ${verdict.name.padEnd(14)}${verdict.works ? 'works' : 'does not load'} — ${printable(verdict.detail)}`);
    for (const fix of verdict.fixes) lines.push(`  ${''.padEnd(14)}fix: ${printable(fix)}`);
  }
  for (const planned of report.planned) lines.push(`  ${planned.name.padEnd(14)}${planned.detail}`);
  lines.push('', 'CUDA 11.2 / cuDNN 8.1 for tfjs-node-gpu:');
  for (const line of formatCudaProbe(report.cuda)) lines.push(`  ${printable(line)}`);
  const v = report.versions;
  lines.push(
    '',
    `Versions: Node ${printable(v.node)}, tfjs ${printable(v.tfjs)}, tfjs-node-gpu ${printable(v.tfjsNodeGpu ?? 'not installed')}, Electron ${printable(v.electron ?? 'not installed')}`,
    '',
    `auto picks: ${report.auto}`,
    report.gpuWorks ? 'A GPU backend works.' : 'No GPU backend works: training runs on the CPU.',
  );
  return lines.join('\n');
}
