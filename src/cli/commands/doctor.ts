/**
 * `gan-studio doctor`: why is my GPU not used? Prints, for each backend,
 * whether it loads and how to fix it, and which backend `auto` picks.
 */
import { parseCliArgs } from '../parse-args';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';
import type { DoctorReport } from '../../main/backend/doctor';
import { formatDoctorReport } from '../../main/backend/doctor-format';
import { diagnoseBackendsInChild } from '../../main/studio-service/probe';

export const help = `Usage: gan-studio doctor [--json]

Say what trains on this machine and how fast (a few timed steps of the quick
preset on the backend "auto" picks), which compute backends load and why the
others do not, each with the fix: tfjs-node-gpu (each CUDA 11.2 / cuDNN 8.1 library found or
missing, the NVIDIA driver), webgpu (every GPU adapter Dawn offers — vendor,
architecture, driver, software or hardware — and the Vulkan drivers on Linux),
tfjs-node, wasm and cpu; the versions of Node, tfjs, tfjs-backend-webgpu, the
webgpu package and Electron; and which backend "auto" picks.

Options:
  --json        Print the report as one JSON object (documented in docs/backends.md)
  -h, --help    Show this help

Exit codes: 0 a GPU backend works on a hardware GPU, 3 none does (training uses
the CPU; a software adapter such as llvmpipe does not count), 2 bad arguments.`;

/** Runs the command; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  let json: boolean | undefined;
  try {
    ({ values: { json } } = parseCliArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage, 'Run "gan-studio doctor --help" for the options.');
  }
  // In a probe process, as the studio runs it: Dawn's own warnings on its stderr stay out of the terminal.
  const report = await diagnoseBackendsInChild();
  // JSON.stringify escapes control characters itself.
  console.log(json ? JSON.stringify(report) : formatDoctorReport(report));
  return doctorExitCode(report);
}

/** 0 when a GPU backend works on a hardware GPU, else 3 (unavailable). */
export function doctorExitCode(report: Pick<DoctorReport, 'gpuWorks'>): number {
  return report.gpuWorks ? EXIT.ok : EXIT.unavailable;
}
