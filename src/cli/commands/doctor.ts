/**
 * `gan-studio doctor`: why is my GPU not used? Prints, for each backend,
 * whether it loads and how to fix it, and which backend `auto` picks.
 */
import { parseArgs } from 'node:util';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';
import { diagnoseBackends } from '../../main/training/backend/doctor';
import { formatDoctorReport } from '../../main/training/backend/doctor-format';

export const help = `Usage: gan-studio doctor [--json]

Say which compute backends load on this machine and why the others do not:
tfjs-node-gpu (with each CUDA 11.2 / cuDNN 8.1 library found or missing and the
NVIDIA driver), tfjs-node, wasm and cpu, each with the fix; the versions of
Node, tfjs and Electron; and which backend "auto" picks.

Options:
  --json        Print the report as one JSON object
  -h, --help    Show this help

Exit codes: 0 a GPU backend works, 3 no GPU backend works (training uses the CPU),
2 bad arguments.`;

/** Runs the command; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  let json: boolean | undefined;
  try {
    ({ values: { json } } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage, 'Run "gan-studio doctor --help" for the options.');
  }
  const report = await diagnoseBackends();
  // JSON.stringify escapes control characters itself.
  console.log(json ? JSON.stringify(report) : formatDoctorReport(report));
  return report.gpuWorks ? EXIT.ok : EXIT.unavailable;
}
