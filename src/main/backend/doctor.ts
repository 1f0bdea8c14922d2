/**
 * The "why is my GPU not used?" report: for each backend in the chain,
 * whether it loads (and why not, with the fix), the WebGPU adapters and the
 * CUDA/driver probe, versions, and which backend `auto` picks. Electron-free;
 * the app runs it in a short-lived process (src/main/probe-entry.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import type { BackendName } from '../../shared/backends';
import { BACKEND_NAMES } from '../../shared/backends';
import type { DoctorReport, TrainingSpeed } from '../../shared/doctor';
import type { ProbeInputs } from './doctor-probe';
import { probeCuda, systemProbeInputs } from './doctor-probe';
import type { ForcedOutcome } from './doctor-report';
import { buildDoctorReport } from './doctor-report';
import { probeWebgpu } from './doctor-webgpu';
import { BackendError } from './errors';
import { selectBackend } from './select';

export type { BackendVerdict, DoctorReport } from '../../shared/doctor';

const requireOptional = createRequire(import.meta.url);

function packageVersion(name: string): string | null {
  try {
    return (requireOptional(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

/**
 * Builds the report. `auto` is selectBackend's own choice; every other
 * backend is then forced once — a software WebGPU adapter that auto passes
 * over may still work when forced — and tf is left on auto's pick, where
 * `measureSpeed` (the probe process gives training/training-speed.ts) times
 * a few real training steps.
 */
export async function diagnoseBackends(inputs: ProbeInputs = systemProbeInputs(), measureSpeed?: () => Promise<TrainingSpeed>): Promise<DoctorReport> {
  // The soname probe reads ldconfig and Linux paths; elsewhere the platform's own fix is given.
  const cuda = process.platform === 'linux' ? probeCuda(inputs) : null;
  const auto = await selectBackend();
  const forced: Partial<Record<BackendName, ForcedOutcome>> = {};
  for (const name of BACKEND_NAMES) {
    if (name === auto.name) continue;
    try {
      forced[name] = { ok: true, device: (await selectBackend({ forced: name })).device };
    } catch (err) {
      forced[name] = { ok: false, reason: err instanceof BackendError ? err.reason : err instanceof Error ? err.message : String(err) };
    }
  }
  await selectBackend({ forced: auto.name });
  const speed = await measureSpeed?.();
  const report = buildDoctorReport({
    auto,
    forced,
    webgpu: await probeWebgpu(),
    cuda,
    platform: { os: process.platform, arch: process.arch, runtime: process.versions['electron'] ? 'electron' : 'node' },
    versions: {
      node: process.versions.node,
      tfjs: tf.version.tfjs,
      tfjsNodeGpu: packageVersion('@tensorflow/tfjs-node-gpu'),
      tfjsBackendWebgpu: packageVersion('@tensorflow/tfjs-backend-webgpu'),
      webgpu: packageVersion('webgpu'),
      electron: process.versions['electron'] ?? packageVersion('electron'),
    },
  });
  return speed ? { ...report, speed } : report;
}
