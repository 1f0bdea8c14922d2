/**
 * Chromium's high-performance WebGPU adapter — the one tfjs-backend-webgpu
 * takes — as the GPU window's loader and its probe both ask for it: its facts,
 * or which of the two reasons there is none.
 */
import { CHROMIUM_NO_ADAPTER, CHROMIUM_NO_WEBGPU } from '../../shared/gpu-window';
import { adapterFacts, type AdapterFacts } from '../../main/backend/webgpu/adapter';

interface ChromiumGpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' }): Promise<{ info?: Record<string, unknown> } | null>;
}

export type ChromiumAdapter = { facts: AdapterFacts } | { missing: typeof CHROMIUM_NO_WEBGPU | typeof CHROMIUM_NO_ADAPTER };

export async function chromiumAdapter(): Promise<ChromiumAdapter> {
  const gpu = (navigator as unknown as { gpu?: ChromiumGpu }).gpu;
  if (!gpu) return { missing: CHROMIUM_NO_WEBGPU };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  return adapter === null ? { missing: CHROMIUM_NO_ADAPTER } : { facts: adapterFacts(adapter.info) };
}
