/**
 * The GPU host page's backend loaders (main: backend/loaders.ts).
 * The page exists to train on Chromium's own WebGPU, so `webgpu` is its one
 * backend: the others need Node and run in the app's trainer process instead.
 */
import type { BackendName } from '../../../shared/backends';
import { BackendUnavailable } from '../../../main/backend/errors';
import { CHROMIUM_NO_ADAPTER, CHROMIUM_NO_WEBGPU } from '../../../shared/gpu-window';
import { adapterName, describeAdapter, isSoftwareAdapter } from '../../../main/backend/webgpu/adapter';
import { chromiumAdapter } from '../chromium-adapter';

export interface LoadedBackend {
  tfName: string;
  device(): string;
}

export interface LoadOptions {
  softwareGpu: boolean;
}

/** What to do when Chromium offers no adapter, after why. */
const NO_ADAPTER_FIX = {
  [CHROMIUM_NO_WEBGPU]: ' (navigator.gpu is missing): update the app, or train on webgpu with the CLI',
  [CHROMIUM_NO_ADAPTER]: ': its GPU blocklist or a missing driver (Vulkan on Linux, Metal on macOS, Direct3D 12 on Windows); see `npx gan-studio doctor`',
};

async function loadChromiumWebgpu({ softwareGpu }: LoadOptions): Promise<LoadedBackend> {
  const found = await chromiumAdapter();
  if ('missing' in found) throw new BackendUnavailable(found.missing + NO_ADAPTER_FIX[found.missing]);
  const { facts } = found;
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
