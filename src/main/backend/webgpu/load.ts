/**
 * The webgpu backend: Dawn's Node bindings (npm `webgpu`) give plain Node —
 * and the trainer process — a `navigator.gpu`, and tfjs-backend-webgpu trains
 * on it. `auto` takes a hardware adapter only; a software one (llvmpipe,
 * SwiftShader) is slower than wasm and is used only when forced.
 */
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BackendUnavailable } from '../errors';
import type { AdapterFacts } from './adapter';
import { adapterFacts, adapterName, describeAdapter, isSoftwareAdapter } from './adapter';
import { probeDawnInChild, type ProbeResult } from './isolated-probe';

const requireOptional = createRequire(import.meta.url);

/** The parts of a GPUBuffer and GPUDevice the readback check uses. */
interface ProbeBuffer {
  mapAsync(mode: number): Promise<void>;
  getMappedRange(): ArrayBuffer;
  unmap(): void;
}
interface ProbeDevice {
  createBuffer(descriptor: { size: number; usage: number }): ProbeBuffer;
  destroy(): void;
}
interface ProbeAdapter {
  info: unknown;
  requestDevice(): Promise<ProbeDevice>;
}

/** The part of navigator.gpu the studio itself calls (tfjs-backend-webgpu uses the rest). */
interface GpuEntry {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<ProbeAdapter | null>;
}

// GPUBufferUsage.MAP_READ | COPY_DST and GPUMapMode.READ (fixed by the WebGPU spec).
const MAP_READ_USAGE = 0x0001 | 0x0008;
const MAP_MODE_READ = 0x0001;

/**
 * Every tfjs readback maps a buffer and wraps the mapping in an ArrayBuffer.
 * Dawn's Node binding hands out *external* ArrayBuffers, which Electron's V8
 * memory cage forbids (electron/electron#35801): check once, here, so the
 * reason is named instead of surfacing as a failed smoke op.
 */
async function checkReadback(adapter: ProbeAdapter): Promise<void> {
  const device = await adapter.requestDevice();
  try {
    const buffer = device.createBuffer({ size: 4, usage: MAP_READ_USAGE });
    await buffer.mapAsync(MAP_MODE_READ);
    buffer.getMappedRange();
    buffer.unmap();
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    const electron = process.versions['electron'];
    throw new BackendUnavailable(
      electron
        ? `Dawn's Node binding cannot read GPU memory back inside Electron ${electron} (its V8 memory cage forbids external buffers: ${text}); choose webgpu as the Backend in New run to train in the app's GPU window on Chromium's own WebGPU instead`
        : `reading GPU memory back failed: ${text}`,
    );
  } finally {
    device.destroy();
  }
}

/** The part of the `webgpu` package the studio uses. */
interface DawnModule {
  create(flags: string[]): GpuEntry;
  globals: Record<string, unknown>;
}

let dawnGpu: GpuEntry | undefined;
/** The isolated probe's verdict, once per process. */
let childProbe: Promise<ProbeResult> | undefined;

/**
 * Dawn wants a per-user runtime folder on Linux and warns on every start
 * without one; give it a private one when the session has none (CI, ssh).
 */
function ensureRuntimeDir(): void {
  if (process.platform !== 'linux' || process.env['XDG_RUNTIME_DIR']) return;
  const dir = path.join(os.tmpdir(), `gan-studio-xdg-${os.userInfo().uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  process.env['XDG_RUNTIME_DIR'] = dir;
}

/** What a child process that loaded Dawn found: the high-performance adapter (null: none). */
async function adapterSeenByChild(): Promise<AdapterFacts | null> {
  let modulePath: string;
  try {
    modulePath = requireOptional.resolve('webgpu');
  } catch {
    throw new BackendUnavailable('not installed (npm package webgpu)');
  }
  ensureRuntimeDir();
  const result = await (childProbe ??= probeDawnInChild(modulePath));
  if ('failure' in result) throw new BackendUnavailable(result.failure);
  return result.adapter;
}

/**
 * Loads dawn.node once — after a child process survived doing the same — and installs
 * `navigator.gpu` and the WebGPU constants tfjs expects.
 */
async function installNavigatorGpu(): Promise<GpuEntry> {
  if (dawnGpu !== undefined) return dawnGpu;
  await adapterSeenByChild();
  if (dawnGpu !== undefined) return dawnGpu;
  let dawn: DawnModule;
  try {
    dawn = requireOptional('webgpu') as DawnModule;
  } catch (err) {
    const text = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    throw new BackendUnavailable(`Dawn (dawn.node) failed to load: ${text}`);
  }
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  // Node < 21 has no navigator; Electron's and newer Node's has a read-only one.
  const holder = globalThis as { navigator?: object };
  if (holder.navigator === undefined) holder.navigator = {};
  Object.defineProperty(holder.navigator, 'gpu', { value: gpu, configurable: true });
  dawnGpu = gpu;
  return gpu;
}

/** The adapter tfjs-backend-webgpu will get (it asks for the same high-performance one), or null when there is none. */
export async function probeWebgpuAdapter(): Promise<AdapterFacts | null> {
  const adapter = await requestAdapter();
  return adapter === null ? null : adapterFacts(adapter.info as Record<string, unknown>);
}

async function requestAdapter(): Promise<ProbeAdapter | null> {
  return (await installNavigatorGpu()).requestAdapter({ powerPreference: 'high-performance' });
}

const NO_ADAPTER = 'no WebGPU adapter: no GPU driver with Vulkan (Linux), Metal (macOS) or Direct3D 12 (Windows) support was found';

/** Why auto passes over a software adapter (how to force it is each front end's to say). */
const softwareAdapterReason = (facts: AdapterFacts) => `only a software adapter (${adapterName(facts)}): slower than wasm`;

/**
 * Makes tf's 'webgpu' backend available on the machine's adapter.
 * @throws BackendUnavailable with no adapter, or with a software one unless `softwareGpu`.
 */
export async function loadWebgpu(softwareGpu: boolean): Promise<{ tfName: string; device(): string }> {
  if (!softwareGpu) {
    // Decided on the child's answer: a software adapter is skipped without loading Dawn here.
    const seen = await adapterSeenByChild();
    if (seen === null) throw new BackendUnavailable(NO_ADAPTER);
    if (isSoftwareAdapter(seen)) throw new BackendUnavailable(softwareAdapterReason(seen));
  }
  const adapter = await requestAdapter();
  if (adapter === null) throw new BackendUnavailable(NO_ADAPTER);
  const facts = adapterFacts(adapter.info as Record<string, unknown>);
  const device = describeAdapter(facts);
  if (!softwareGpu && isSoftwareAdapter(facts)) throw new BackendUnavailable(softwareAdapterReason(facts));
  await checkReadback(adapter);
  try {
    // Required only now: importing it registers 'webgpu' in tf, which needs navigator.gpu first.
    requireOptional('@tensorflow/tfjs-backend-webgpu');
  } catch (err) {
    throw new BackendUnavailable(`@tensorflow/tfjs-backend-webgpu failed to load: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { tfName: 'webgpu', device: () => device };
}
