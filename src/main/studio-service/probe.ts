/**
 * Which backend a new run would train on, asked of a short-lived probe
 * process (src/main/probe-entry.ts) rather than this one: loading native
 * TensorFlow or a GPU context into the studio's own process would hold
 * memory the trainers need. Electron forks it as a utilityProcess; the CLI
 * and `serve` as a Node child.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BackendReport } from '../../shared/backends';
import { packageRoot } from '../paths';
import type { ProbeMessage } from '../probe-entry';
import { StudioError } from './errors';

/** The parent's view of one probe process. */
export interface ProbeProcess {
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

/** Run one probe; resolves with its report, rejects with its reason (or a timeout). */
export function probeBackendWith(start: () => ProbeProcess, timeoutMs = 120_000): Promise<BackendReport> {
  return new Promise((resolve, reject) => {
    const probe = start();
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      settle(() => reject(new StudioError(`The backend probe did not answer within ${timeoutMs / 1000} s.`, 'Try again; if it persists, start the studio with GAN_STUDIO_BACKEND=cpu.')));
      probe.kill();
    }, timeoutMs);
    probe.onMessage((raw) => {
      const message = raw as ProbeMessage;
      settle(() => (message.ok ? resolve(message.report) : reject(new StudioError(`No compute backend could load: ${message.message}`))));
    });
    probe.onExit((code) => settle(() => reject(new StudioError(`The backend probe exited (code ${code}) without a report.`))));
  });
}

/** The probe script and Node flags: probe-entry.ts under tsx from source, probe.js beside the build. */
export function probeEntry(): { script: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    return { script: join(dirname(here), '..', 'probe-entry.ts'), execArgv: ['--import', tsx] };
  }
  const candidates = [join(dirname(here), 'probe.js'), join(dirname(here), '..', 'probe.js'), join(packageRoot(), 'out', 'main', 'probe.js')];
  const script = candidates.find((candidate) => existsSync(candidate));
  if (!script) throw new StudioError(`Cannot find the built backend probe (looked for ${candidates.join(', ')}).`, 'Run "npm run build" first.');
  return { script, execArgv: [] };
}

/** Probe in a Node child process (CLI, serve, tests). */
export function probeBackendInChild(): Promise<BackendReport> {
  return probeBackendWith(() => {
    const { script, execArgv } = probeEntry();
    const child = fork(script, [], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.on('error', () => undefined);
    return {
      onMessage: (listener) => child.once('message', listener),
      onExit: (listener) => child.once('exit', (code) => listener(code)),
      kill: () => child.kill('SIGKILL'),
    };
  });
}
