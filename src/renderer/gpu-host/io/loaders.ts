/**
 * The GPU host page's backend loaders (main: training/backend/loaders.ts).
 * The page exists to train on Chromium's own WebGPU, so `webgpu` is its one
 * backend: the others need Node and run in the app's trainer process instead.
 */
import type { BackendName } from '../../../shared/backends';
import { BackendUnavailable } from '../../../main/training/backend/errors';
import { adapterFacts, adapterName, describeAdapter, isSoftwareAdapter } from '../../../main/training/backend/webgpu/adapter';

export interface LoadedBackend {
  tfName: string;
  device(): string;
}

export interface LoadOptions {
  softwareGpu: boolean;
}

interface ChromiumGpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<{ info?: Record<string, unknown> } | null>;
}

async function loadChromiumWebgpu({ softwareGpu }: LoadOptions): Promise<LoadedBackend> {
  const gpu = (navigator as unknown as { gpu?: ChromiumGpu }).gpu;
  if (!gpu) throw new BackendUnavailable("this Chromium offers no WebGPU (navigator.gpu is missing): update the app, or train on webgpu with the CLI");
  // The same high-performance adapter tfjs-backend-webgpu asks for.
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) {
    throw new BackendUnavailable("Chromium found no WebGPU adapter: its GPU blocklist or a missing driver (Vulkan on Linux, Metal on macOS, Direct3D 12 on Windows); see `npx gan-studio doctor`");
  }
  const facts = adapterFacts(adapter.info);
  if (!softwareGpu && isSoftwareAdapter(facts)) {
    throw new BackendUnavailable(`only a software adapter (${adapterName(facts)}): slower than wasm; choose webgpu as the backend to use it anyway`);
  }
  // Imported only now: importing it registers 'webgpu' in tf.
  await import('@tensorflow/tfjs-backend-webgpu');
  const device = `${describeAdapter(facts)} in the app's Chromium`;
  return { tfName: 'webgpu', device: () => device };
}

const elsewhere = (): never => {
  throw new BackendUnavailable("not in the app's GPU window, which trains on Chromium's WebGPU only: resume the run on it to train in the app's trainer process");
};

export const LOADERS: Record<BackendName, (options: LoadOptions) => LoadedBackend | Promise<LoadedBackend>> = {
  // An auto run comes to the window only after the app's trainer process found tfjs-node-gpu unusable.
  'tfjs-node-gpu': () => {
    throw new BackendUnavailable("the app's trainer process cannot use it (the Backends view says why), so auto chose the GPU window");
  },
  webgpu: loadChromiumWebgpu,
  'tfjs-node': elsewhere,
  wasm: elsewhere,
  cpu: elsewhere,
};
