/**
 * The doctor report: "why is my GPU not used?", answered for each backend.
 * `gan-studio doctor --json` prints it as is and the app's Backends view shows
 * it, so its shape is a documented contract (docs/backends.md): fields are
 * only added; a change of meaning bumps `version`.
 */
import type { BackendName } from './backends';
import type { PresetName } from './presets';
import type { GpuWindowFinding } from './gpu-window';

/** Bumped when a field of DoctorReport changes meaning or goes away (an added optional field, e.g. gpuWindow, does not). */
export const DOCTOR_REPORT_VERSION = 2;

/** What a working backend computes on: a hardware GPU, a GPU emulated on the CPU, or the CPU. */
export type BackendDevice = 'gpu' | 'software-gpu' | 'cpu';

/** One backend's verdict. */
export interface BackendVerdict {
  name: BackendName;
  /** Loads and passes the gradient smoke op (forced, when auto did not get to it or passed it over). */
  works: boolean;
  /** What it computes on when it works; null when it does not. */
  device: BackendDevice | null;
  /** The device when it works, else why it does not. */
  detail: string;
  /** Why `auto` passes over it although it works (a software adapter); null otherwise. */
  autoSkips: string | null;
  /** What to do about it: install steps when it does not work, how to use it when auto skips it. */
  fixes: string[];
}

/** "works", "works (software adapter)" or "does not load": how the CLI and the Backends view state a verdict. */
export function verdictState(verdict: Pick<BackendVerdict, 'works' | 'device'>): string {
  if (!verdict.works) return 'does not load';
  return verdict.device === 'software-gpu' ? 'works (software adapter)' : 'works';
}

/** The adapter facts both Dawn's and the GPU window's findings hold. */
type AdapterFinding = Pick<WebgpuAdapterFinding, 'vendor' | 'architecture' | 'device' | 'description' | 'isFallbackAdapter' | 'software'>;

/** "nvidia hopper": vendor and architecture, as the CLI and the Backends view name an adapter. */
export function adapterVendor(adapter: Pick<AdapterFinding, 'vendor' | 'architecture'>): string {
  return [adapter.vendor, adapter.architecture].filter((part) => part !== '').join(' ') || 'unknown vendor';
}

/** "software, fallback adapter" or "hardware". */
export function adapterKind(adapter: AdapterFinding): string {
  return `${adapter.software ? 'software' : 'hardware'}${adapter.isFallbackAdapter ? ', fallback adapter' : ''}`;
}

/** "nvidia hopper · NVIDIA H200 — hardware": vendor, driver description, kind. */
export function adapterLabel(adapter: AdapterFinding): string {
  const driver = adapter.description || adapter.device;
  return `${adapterVendor(adapter)}${driver ? ` · ${driver}` : ''} — ${adapterKind(adapter)}`;
}

/** One WebGPU adapter Dawn offers (GPUAdapterInfo fields). */
export interface WebgpuAdapterFinding {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  /** Runs on the CPU (llvmpipe, SwiftShader, WARP, a fallback adapter): slower than wasm. */
  software: boolean;
  /** The power preferences that return this adapter; tfjs-backend-webgpu asks for high-performance. */
  powerPreferences: ('high-performance' | 'low-power')[];
}

/** What the WebGPU host (Dawn, npm `webgpu`) sees. */
export interface WebgpuProbe {
  /** Every adapter offered, the high-performance one first; empty when none or when Dawn could not be asked. */
  adapters: WebgpuAdapterFinding[];
  /** Why Dawn could not be asked (package not installed, dawn.node failed to load), else null. */
  error: string | null;
  /** Vulkan driver manifests found (ICD file names, e.g. "lvp_icd.json") on Linux; null on other systems. */
  vulkanDrivers: string[] | null;
}

/** Where one CUDA/cuDNN soname was found (or not). */
export interface SonameFinding {
  soname: string;
  provider: string;
  /** "ldconfig cache", a directory, or null when missing. */
  foundIn: string | null;
}

/** The CUDA/driver verdict for tfjs-node-gpu. */
export interface CudaProbe {
  sonames: SonameFinding[];
  driver: { installed: boolean; version: string | null; nvidiaSmi: boolean; libcuda: string | null };
  /**
   * An NVIDIA GPU was seen (its driver, or its PCI device without one). Without one the sonames
   * do not matter, and `fixes` says so once. Absent in reports from before it was looked for.
   */
  nvidiaGpu?: boolean;
  /** Lines saying what to install or set; empty when everything was found. */
  fixes: string[];
}

/** How fast auto's backend trains here: real steps of a preset, timed by the doctor. */
export interface TrainingSpeed {
  preset: PresetName;
  batchSize: number;
  imagesPerSecond: number;
}

/** "about 310 images/s (quick preset, batch 64): an epoch of the built-in 10,000 images in about 32 s". */
export function describeSpeed(speed: TrainingSpeed): string {
  const rate = speed.imagesPerSecond >= 100 ? Math.round(speed.imagesPerSecond / 10) * 10 : Math.round(speed.imagesPerSecond);
  const epoch = 10_000 / speed.imagesPerSecond;
  const epochText = epoch < 90 ? `${Math.max(1, Math.round(epoch))} s` : `${Math.round(epoch / 60)} min`;
  return `about ${rate.toLocaleString('en-US')} images/s (${speed.preset} preset, batch ${speed.batchSize}): an epoch of the built-in 10,000 images in about ${epochText}`;
}

/** The whole report. */
export interface DoctorReport {
  version: typeof DOCTOR_REPORT_VERSION;
  /** The backend `auto` picks on this machine. */
  auto: BackendName;
  /** True when a GPU backend works on a hardware GPU (a software adapter does not count): exit code 0. */
  gpuWorks: boolean;
  /** One sentence: which GPU backend works, or why training runs on the CPU. */
  summary: string;
  /** How fast auto's backend trained a few real steps here; absent where it was not measured (the desktop app's GPU window trains instead). */
  speed?: TrainingSpeed;
  /** Every backend, in the order auto tries them. */
  backends: BackendVerdict[];
  webgpu: WebgpuProbe;
  /** The CUDA 11.2 / cuDNN 8.1 sonames and NVIDIA driver; null off Linux, where they are not looked up. */
  cuda: CudaProbe | null;
  /**
   * Node's process.platform and process.arch, and where the doctor ran: plain Node (the CLI,
   * `serve`) or an Electron utility process (the desktop app), where Dawn cannot read back.
   */
  platform: { os: string; arch: string; runtime: 'node' | 'electron' };
  /**
   * The desktop app's GPU window (Chromium's own WebGPU, where its webgpu runs train): its adapter
   * and whether webgpu passed the smoke op there. Absent outside the desktop app (CLI, `serve`).
   */
  gpuWindow?: GpuWindowFinding;
  /** Package and runtime versions; null for a package that is not installed. */
  versions: {
    node: string;
    tfjs: string;
    tfjsNodeGpu: string | null;
    tfjsBackendWebgpu: string | null;
    /** The npm `webgpu` package (Dawn's Node bindings). */
    webgpu: string | null;
    electron: string | null;
  };
}
