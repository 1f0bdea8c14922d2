/**
 * The GPU window's answer to "could webgpu train here?": Chromium's
 * high-performance adapter (the one tfjs-backend-webgpu takes) and, when
 * there is one, the webgpu backend activated on it with its gradient smoke
 * op, exactly as a run would start.
 */
import type { GpuWindowFinding } from '../../shared/gpu-window';
import { CHROMIUM_NO_ADAPTER, CHROMIUM_NO_WEBGPU } from '../../shared/gpu-window';
import { BackendError } from '../../main/training/backend/errors';
import { selectBackend } from '../../main/training/backend/select';
import { adapterFacts, isSoftwareAdapter } from '../../main/training/backend/webgpu/adapter';

interface ChromiumGpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' }): Promise<{ info?: Record<string, unknown> } | null>;
}

// A forced backend's error tells a CLI user to pick another; the window's finding wants only why.
const message = (error: unknown): string => (error instanceof BackendError ? error.reason : error instanceof Error ? error.message : String(error));

export async function probeGpuWindow(): Promise<GpuWindowFinding> {
  const gpu = (navigator as unknown as { gpu?: ChromiumGpu }).gpu;
  const adapter = gpu ? await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null) : null;
  if (adapter === null) return { adapter: null, report: null, error: gpu ? CHROMIUM_NO_ADAPTER : CHROMIUM_NO_WEBGPU };
  const facts = adapterFacts(adapter.info);
  const found = { ...facts, software: isSoftwareAdapter(facts) };
  try {
    return { adapter: found, report: await selectBackend({ forced: 'webgpu' }), error: null };
  } catch (error) {
    return { adapter: found, report: null, error: message(error) };
  }
}
