/**
 * The "why is my GPU not used?" report: for each backend in the chain,
 * whether it loads (and why not, with the fix), the CUDA/driver probe for
 * tfjs-node-gpu, versions, and which backend `auto` picks. Electron-free.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import type { BackendName } from '../../../shared/backends';
import { BACKEND_NAMES } from '../../../shared/backends';
import type { CudaProbe, ProbeInputs } from './doctor-probe';
import { probeCuda, systemProbeInputs } from './doctor-probe';
import { selectBackend } from './select';

/** Backends that train on a GPU: exit 0 needs one of them working. */
export const GPU_BACKENDS: readonly BackendName[] = ['tfjs-node-gpu'];

/** One backend's verdict. */
export interface BackendVerdict {
  name: BackendName;
  works: boolean;
  /** The device when it works, else why it does not. */
  detail: string;
  /** What to do about it (empty when it works). */
  fixes: string[];
}

/** The whole doctor report (`--json` prints it as is). */
export interface DoctorReport {
  auto: BackendName;
  gpuWorks: boolean;
  backends: BackendVerdict[];
  /** A backend the issue tracker plans, not part of this build. */
  planned: { name: 'webgpu'; detail: string }[];
  cuda: CudaProbe;
  versions: { node: string; tfjs: string; tfjsNodeGpu: string | null; electron: string | null };
}

const FIXES: Partial<Record<BackendName, string>> = {
  'tfjs-node': 'npm install @tensorflow/tfjs-node (a native CPU build; needs a prebuilt libtensorflow for this platform)',
  wasm: 'reinstall @tensorflow/tfjs-backend-wasm (its .wasm files must sit next to the package)',
};

const requireOptional = createRequire(import.meta.url);

function packageVersion(name: string): string | null {
  try {
    return (requireOptional(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

/**
 * Builds the report. `auto` is selectBackend's own choice; the backends after
 * it, which auto never tries, are each forced once to say whether they load.
 */
export async function diagnoseBackends(inputs: ProbeInputs = systemProbeInputs()): Promise<DoctorReport> {
  const cuda = probeCuda(inputs);
  const auto = await selectBackend();
  const verdicts = new Map<BackendName, BackendVerdict>();
  for (const skip of auto.skipped) verdicts.set(skip.name, { name: skip.name, works: false, detail: skip.reason, fixes: [] });
  verdicts.set(auto.name, { name: auto.name, works: true, detail: auto.device, fixes: [] });
  for (const name of BACKEND_NAMES) {
    if (verdicts.has(name)) continue;
    try {
      const forced = await selectBackend({ forced: name });
      verdicts.set(name, { name, works: true, detail: forced.device, fixes: [] });
    } catch (err) {
      verdicts.set(name, { name, works: false, detail: err instanceof Error ? err.message : String(err), fixes: [] });
    }
  }
  // Leave tf on the backend auto picked, as a later caller would expect.
  await selectBackend({ forced: auto.name });
  const backends = BACKEND_NAMES.map((name) => {
    const verdict = verdicts.get(name)!;
    if (name === 'tfjs-node-gpu' && !verdict.detail.startsWith('GPU')) return { ...verdict, fixes: gpuFixes(cuda) };
    if (verdict.works) return verdict;
    const fix = FIXES[name] ? [FIXES[name]] : [];
    return { ...verdict, fixes: fix };
  });
  return {
    auto: auto.name,
    // tfjs-node-gpu loads on a CPU too when the driver sees no GPU; only a GPU device counts.
    gpuWorks: backends.some((verdict) => verdict.works && GPU_BACKENDS.includes(verdict.name) && verdict.detail.startsWith('GPU')),
    backends,
    planned: [{ name: 'webgpu', detail: 'not built into this version yet; see docs/backends.md' }],
    cuda,
    versions: {
      node: process.versions.node,
      tfjs: tf.version.tfjs,
      tfjsNodeGpu: packageVersion('@tensorflow/tfjs-node-gpu'),
      electron: packageVersion('electron'),
    },
  };
}

function gpuFixes(cuda: CudaProbe): string[] {
  if (cuda.fixes.length > 0) return cuda.fixes;
  return ['the CUDA libraries and driver were found: check that the GPU is visible (nvidia-smi) and that tfjs-node-gpu is installed (npm install @tensorflow/tfjs-node-gpu)'];
}
