/**
 * What the desktop app's GPU window found: the adapter Chromium's own WebGPU
 * offers there, and whether the webgpu backend passed its gradient smoke op
 * on it. `auto` trains there on a hardware adapter (docs/backends.md).
 */
import type { BackendReport } from './backends';
import type { WebgpuAdapterFinding } from './doctor';

/** The adapter's facts as the doctor lists Dawn's (without the power preferences: the window asks for one). */
export type GpuWindowAdapter = Omit<WebgpuAdapterFinding, 'powerPreferences'>;

export interface GpuWindowFinding {
  /** Chromium's high-performance adapter; null when it offers none (or the window could not ask). */
  adapter: GpuWindowAdapter | null;
  /** The webgpu backend's report there, once its smoke op passed; null when it did not get that far. */
  report: BackendReport | null;
  /** Why webgpu cannot train in the window; null when it can. */
  error: string | null;
}

/**
 * The page's errors when Chromium itself offers no adapter (renderer/gpu-host/probe.ts): the window
 * answered, and the machine lacks a GPU driver WebGPU can use. Any other error without an adapter
 * means the window never answered (it did not load, closed or timed out).
 */
export const CHROMIUM_NO_WEBGPU = 'this Chromium offers no WebGPU';
export const CHROMIUM_NO_ADAPTER = 'Chromium found no WebGPU adapter';
