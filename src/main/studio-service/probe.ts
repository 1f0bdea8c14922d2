/**
 * Which backend a new run would train on — and the doctor's full report —
 * asked of a short-lived probe process (src/main/probe-entry.ts) rather than
 * this one: loading native TensorFlow or a GPU context into the studio's own
 * process would hold memory the trainers need. Electron forks it as a
 * utilityProcess; the CLI and `serve` as a Node child.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BackendReport } from '../../shared/backends';
import type { DoctorReport } from '../../shared/doctor';
import { packageRoot } from '../paths';
import type { BackendName } from '../../shared/backends';
import { DOCTOR_ARG, FORCED_ARG_PREFIX, type ProbeMessage } from '../probe-protocol';
import { forwardStderr } from '../backend/webgpu/dawn-noise';
import { StudioError } from './errors';

/** The parent's view of one probe process. */
export interface ProbeProcess {
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

/** What the parent says when a probe fails, for each kind of probe. */
interface ProbeWording {
  /** "The backend probe", "The backend doctor". */
  subject: string;
  /** Prefix of the child's own failure message. */
  failed: string;
  /** What to try when the process died without a report (a native crash leaves no message). */
  exitHint?: string;
}

const SELECT: ProbeWording = { subject: 'The backend probe', failed: 'No compute backend could load' };
const FORCED: ProbeWording = { subject: 'The backend check', failed: 'Cannot train here' };
const DOCTOR: ProbeWording = {
  subject: 'The backend doctor',
  failed: 'The backend doctor failed',
  exitHint: 'Run "npx gan-studio doctor" in a terminal: it prints the same report, and the crash message if a backend crashes it.',
};

/** Run one probe process; resolves with its report, rejects with its reason (or a timeout). */
function askProbe<Report>(start: () => ProbeProcess, timeoutMs: number, wording: ProbeWording): Promise<Report> {
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
      settle(() => reject(new StudioError(`${wording.subject} did not answer within ${timeoutMs / 1000} s.`, 'Try again; if it persists, start the studio with GAN_STUDIO_BACKEND=cpu.')));
      probe.kill();
    }, timeoutMs);
    probe.onMessage((raw) => {
      const message = raw as ProbeMessage<Report>;
      settle(() => (message.ok ? resolve(message.report) : reject(new StudioError(`${wording.failed}: ${message.message}`))));
    });
    probe.onExit((code) => settle(() => reject(new StudioError(`${wording.subject} exited (code ${code}) without a report.`, wording.exitHint))));
  });
}

/** Run one backend probe; resolves with its report, rejects with its reason (or a timeout). */
export function probeBackendWith(start: () => ProbeProcess, timeoutMs = 120_000): Promise<BackendReport> {
  return askProbe<BackendReport>(start, timeoutMs, SELECT);
}

/** Run the doctor in a probe process started with DOCTOR_ARG; resolves with its report. */
export function diagnoseBackendsWith(start: () => ProbeProcess, timeoutMs = 180_000): Promise<DoctorReport> {
  return askProbe<DoctorReport>(start, timeoutMs, DOCTOR);
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

/** A probe as a Node child process (CLI, serve, tests), with `args` (DOCTOR_ARG for the doctor). */
function startProbeChild(args: string[]): ProbeProcess {
  const { script, execArgv } = probeEntry();
  const child = fork(script, args, { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  if (child.stderr) forwardStderr(child.stderr);
  child.on('error', () => undefined);
  return {
    onMessage: (listener) => child.once('message', listener),
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    kill: () => child.kill('SIGKILL'),
  };
}

/** Probe in a Node child process (CLI, serve, tests). */
export function probeBackendInChild(): Promise<BackendReport> {
  return probeBackendWith(() => startProbeChild([]));
}

/**
 * Whether `backend` can be used here, asked of a Node child process (whose stderr drops Dawn's
 * warnings, which the backend's own load in this process would print straight to the terminal).
 * Rejects with the backend's reason.
 */
export function probeForcedBackendInChild(backend: BackendName): Promise<BackendReport> {
  return askProbe<BackendReport>(() => startProbeChild([`${FORCED_ARG_PREFIX}${backend}`]), 120_000, FORCED);
}

/** The doctor's report from a Node child process (serve, tests). */
export function diagnoseBackendsInChild(): Promise<DoctorReport> {
  return diagnoseBackendsWith(() => startProbeChild([DOCTOR_ARG]));
}
