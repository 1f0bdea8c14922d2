/**
 * The GPU window's answer to "could webgpu train here?": Chromium's
 * high-performance adapter (the one tfjs-backend-webgpu takes) and, when
 * there is one, the webgpu backend activated on it with its gradient smoke
 * op, exactly as a run would start.
 */
import type { GpuWindowFinding } from '../../shared/gpu-window';
import { CHROMIUM_NO_ADAPTER } from '../../shared/gpu-window';
import { BackendError } from '../../main/backend/errors';
import { selectBackend } from '../../main/backend/select';
import { isSoftwareAdapter } from '../../main/backend/webgpu/adapter';
import { chromiumAdapter, type ChromiumAdapter } from './chromium-adapter';

// A forced backend's error tells a CLI user to pick another; the window's finding wants only why.
const message = (error: unknown): string => (error instanceof BackendError ? error.reason : error instanceof Error ? error.message : String(error));

export async function probeGpuWindow(): Promise<GpuWindowFinding> {
  // A request Chromium rejects is as good as no adapter.
  const found = await chromiumAdapter().catch((): ChromiumAdapter => ({ missing: CHROMIUM_NO_ADAPTER }));
  if ('missing' in found) return { adapter: null, report: null, error: found.missing };
  const adapter = { ...found.facts, software: isSoftwareAdapter(found.facts) };
  try {
    return { adapter, report: await selectBackend({ forced: 'webgpu' }), error: null };
  } catch (error) {
    return { adapter, report: null, error: message(error) };
  }
}
