/**
 * Turns what the doctor saw (auto's choice, each backend forced, the WebGPU
 * adapters, the CUDA libraries) into the report: one verdict per backend
 * with its fixes, and whether a GPU backend works on *hardware*. Pure, so
 * every machine's verdict is tested with known adapter facts.
 */
import type { BackendName, BackendReport } from '../../shared/backends';
import { BACKEND_NAMES } from '../../shared/backends';
import type { BackendDevice, BackendVerdict, CudaProbe, DoctorReport, WebgpuProbe } from '../../shared/doctor';
import { DOCTOR_REPORT_VERSION } from '../../shared/doctor';
import { webgpuFixes } from './doctor-webgpu';

/** Backends that can train on a GPU: exit 0 needs one of them working on a hardware device. */
export const GPU_BACKENDS: readonly BackendName[] = ['tfjs-node-gpu', 'webgpu'];

/** What forcing one backend gave: its device, or why it cannot be used. */
export type ForcedOutcome = { ok: true; device: string } | { ok: false; reason: string };

/** Everything the report is made of. */
export interface DoctorFacts {
  auto: BackendReport;
  /** Each backend but auto's pick, forced once. */
  forced: Partial<Record<BackendName, ForcedOutcome>>;
  webgpu: WebgpuProbe;
  cuda: CudaProbe | null;
  platform: DoctorReport['platform'];
  versions: DoctorReport['versions'];
}

const INSTALL_FIXES: Partial<Record<BackendName, string>> = {
  'tfjs-node': 'npm install @tensorflow/tfjs-node (a native CPU build; needs a prebuilt libtensorflow for this platform)',
  wasm: 'reinstall @tensorflow/tfjs-backend-wasm (its .wasm files must sit next to the package)',
};

function outcome(name: BackendName, facts: DoctorFacts): ForcedOutcome {
  if (name === facts.auto.name) return { ok: true, device: facts.auto.device };
  const forced = facts.forced[name];
  if (forced) return forced;
  // Not forced: auto's own skip reason is the best there is.
  const skip = facts.auto.skipped.find((entry) => entry.name === name);
  return { ok: false, reason: skip?.reason ?? 'not tried' };
}

function deviceOf(name: BackendName, device: string, webgpu: WebgpuProbe): BackendDevice {
  // tfjs-node-gpu loads on the CPU too when the driver shows no GPU; its device line says which.
  if (name === 'tfjs-node-gpu') return device.startsWith('GPU') ? 'gpu' : 'cpu';
  // tfjs-backend-webgpu trains on the high-performance adapter, listed first.
  if (name === 'webgpu') return webgpu.adapters[0]?.software === false ? 'gpu' : 'software-gpu';
  return 'cpu';
}

/** tfjs-node-gpu off Linux: Windows loads the CUDA DLLs from PATH; macOS has no CUDA at all. */
export const CUDA_PLATFORM_FIXES: Record<string, string> = {
  win32:
    'install the NVIDIA driver, CUDA 11.2 and cuDNN 8.1 and put their bin folders on PATH (libtensorflow 2.9 loads cudart64_110.dll and cudnn64_8.dll), then npm install @tensorflow/tfjs-node-gpu@4.22.0',
  darwin: 'tfjs-node-gpu needs CUDA, which macOS does not have: on a Mac the GPU path is webgpu (Metal)',
};

function cudaFixes(cuda: CudaProbe | null, os: string): string[] {
  if (cuda === null) return [CUDA_PLATFORM_FIXES[os] ?? 'tfjs-node-gpu has no build for this platform: webgpu is the GPU path here'];
  if (cuda.fixes.length > 0) return cuda.fixes;
  return ['the CUDA libraries and driver were found: check that the GPU is visible (nvidia-smi) and that tfjs-node-gpu is installed (npm install @tensorflow/tfjs-node-gpu)'];
}

function fixesFor(name: BackendName, works: boolean, device: BackendDevice | null, facts: DoctorFacts): string[] {
  if (name === 'tfjs-node-gpu') return device === 'gpu' ? [] : cudaFixes(facts.cuda, facts.platform.os);
  if (name === 'webgpu') return webgpuFixes(facts.webgpu, facts.platform, works);
  return works ? [] : INSTALL_FIXES[name] ? [INSTALL_FIXES[name]] : [];
}

function verdictOf(name: BackendName, facts: DoctorFacts): BackendVerdict {
  const result = outcome(name, facts);
  const device = result.ok ? deviceOf(name, result.device, facts.webgpu) : null;
  const skipped = facts.auto.skipped.find((entry) => entry.name === name);
  return {
    name,
    works: result.ok,
    device,
    detail: result.ok ? result.device : result.reason,
    autoSkips: result.ok && skipped ? skipped.reason : null,
    fixes: fixesFor(name, result.ok, device, facts),
  };
}

/** The backend auto trains on and its device line. */
export type AutoPick = Pick<BackendReport, 'name' | 'device'>;

function summaryOf(backends: readonly BackendVerdict[], auto: AutoPick): string {
  const gpu = backends.find((verdict) => verdict.device === 'gpu' && GPU_BACKENDS.includes(verdict.name));
  if (gpu) return `A GPU backend works: ${gpu.name} on ${gpu.detail}; auto picks ${auto.name}.`;
  const software = backends.find((verdict) => verdict.device === 'software-gpu');
  if (software) {
    return `No GPU backend works on a hardware GPU: ${software.name} works only on a software adapter (the CPU emulating a GPU), so auto trains on ${auto.name} — ${auto.device}.`;
  }
  return `No GPU backend works: auto trains on ${auto.name} — ${auto.device}.`;
}

/**
 * The report's verdict over `chain` (verdicts in auto's order): auto's pick, whether a GPU backend
 * works on hardware, and the summary sentence. The desktop app adds its GPU window to the chain.
 */
export function doctorVerdict(chain: readonly BackendVerdict[], auto: AutoPick): Pick<DoctorReport, 'auto' | 'gpuWorks' | 'summary'> {
  return {
    auto: auto.name,
    gpuWorks: chain.some((verdict) => verdict.device === 'gpu' && GPU_BACKENDS.includes(verdict.name)),
    summary: summaryOf(chain, auto),
  };
}

/** The report for `facts`: a verdict per backend in auto's order, the summary sentence, and the probes. */
export function buildDoctorReport(facts: DoctorFacts): DoctorReport {
  const backends = BACKEND_NAMES.map((name) => verdictOf(name, facts));
  return {
    version: DOCTOR_REPORT_VERSION,
    ...doctorVerdict(backends, facts.auto),
    backends,
    webgpu: facts.webgpu,
    cuda: facts.cuda,
    platform: facts.platform,
    versions: facts.versions,
  };
}
