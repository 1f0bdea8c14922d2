/**
 * Dawn prints warnings of its own from native code when it opens a software
 * adapter ("… artificially reduced from 1000000 to 16 …"); a person reads them
 * as errors. Commands that compute in the CLI's own process with webgpu forced
 * (score, generate, bench) therefore run in a child of the same command whose
 * stderr passes through Dawn's filter — as trainers and probes already do.
 */
import { spawn } from 'node:child_process';
import { forwardStderr } from '../main/backend/webgpu/dawn-noise';
import { EXIT } from './exit-codes';
import { PARENT_TTY_COLUMNS_ENV } from './progress-bar';

/** Set in the child, so it computes instead of spawning again. */
const FILTERED_ENV = 'GAN_STUDIO_DAWN_FILTERED';
const IN_PROCESS_COMMANDS = new Set(['score', 'generate', 'bench']);

/** True when `argv` (command first) would load Dawn in this process: webgpu forced (flag or GAN_STUDIO_BACKEND) for a command that computes here. */
export function needsDawnFilter(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  if (env[FILTERED_ENV] === '1' || env.DEBUG || !IN_PROCESS_COMMANDS.has(argv[0] ?? '')) return false;
  return (forcedBackend(argv) ?? env.GAN_STUDIO_BACKEND) === 'webgpu';
}

/** The value of --backend, if given. */
function forcedBackend(argv: readonly string[]): string | undefined {
  for (const [i, arg] of argv.entries()) {
    if (arg.startsWith('--backend=')) return arg.slice('--backend='.length);
    if (arg === '--backend') return argv[i + 1];
  }
  return undefined;
}

/** Run the same CLI invocation in a child with Dawn's lines filtered from its stderr; its exit code. */
export function runWithDawnFiltered(argv: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...argv], {
    env: { ...process.env, [FILTERED_ENV]: '1', ...(process.stderr.isTTY ? { [PARENT_TTY_COLUMNS_ENV]: String(process.stderr.columns || 0) } : {}) },
    stdio: ['inherit', 'inherit', 'pipe'],
  });
  forwardStderr(child.stderr);
  // Ctrl-C reaches the child through the terminal's process group; a signal sent to this process alone is passed on.
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? (signal ? EXIT.interrupted : EXIT.failed));
    });
  });
}
