/**
 * Ask a GPU window whether webgpu can train in it (the page's probe.ts), then
 * close it. Never rejects: a window that cannot load, dies or stays silent is
 * a finding with its reason, and `auto` then trains in the trainer process.
 */
import { hostname } from 'node:os';
import type { GpuWindowFinding } from '../../shared/gpu-window';
import type { GpuHostPage } from './page-port';

/** The smoke op on a slow GPU driver's first compile can take a while; a hung one must not hold New run forever. */
export const GPU_WINDOW_PROBE_TIMEOUT_MS = 60_000;

export function askGpuWindow(page: GpuHostPage, timeoutMs = GPU_WINDOW_PROBE_TIMEOUT_MS): Promise<GpuWindowFinding> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (finding: GpuWindowFinding) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      page.close();
      resolve(finding);
    };
    const failed = (why: string) => settle({ adapter: null, report: null, error: why });
    const timer = setTimeout(() => failed(`the GPU window did not answer within ${timeoutMs / 1000} s`), timeoutMs);
    page.onGone((reason) => failed(`the GPU window closed before it answered (${reason})`));
    page.port.then(
      (port) => {
        port.onMessage((message) => message.kind === 'probed' && settle(message.finding));
        port.post({ kind: 'hello', pid: process.pid, hostname: hostname() });
        port.post({ kind: 'probe' });
      },
      (error: unknown) => failed(`the GPU window did not load: ${error instanceof Error ? error.message : String(error)}`),
    );
  });
}
